package org.videoforge.codec.nvdec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PtsLedgerTest {
    @Test
    void timestampsComeBackInAnyOrderAndDuplicatesInFeedOrder() {
        PtsLedger ledger = new PtsLedger();
        ledger.fed(0, false);
        ledger.fed(3000, false);
        ledger.fed(1000, true);
        ledger.fed(3000, true);
        assertEquals(4, ledger.pending());
        assertEquals(PtsLedger.Entry.DISCARDED, ledger.take(1000));
        assertEquals(PtsLedger.Entry.SHOWN, ledger.take(0));
        assertEquals(PtsLedger.Entry.SHOWN, ledger.take(3000));
        assertEquals(PtsLedger.Entry.DISCARDED, ledger.take(3000));
        assertEquals(PtsLedger.Entry.UNKNOWN, ledger.take(3000));
        assertEquals(PtsLedger.Entry.UNKNOWN, ledger.take(2000));
        assertEquals(0, ledger.pending());
    }
}
