package org.videoforge.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

class HostWaitTest {
    private final String before = System.getProperty(HostWait.PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(HostWait.PROPERTY);
        } else {
            System.setProperty(HostWait.PROPERTY, before);
        }
    }

    @Test
    void unsetMeansTheDefault() {
        System.clearProperty(HostWait.PROPERTY);
        assertEquals(HostWait.DEFAULT, HostWait.configured());
    }

    @Test
    void namesAreCaseAndSpaceInsensitive() {
        System.setProperty(HostWait.PROPERTY, " Blocking ");
        assertEquals(HostWait.BLOCKING, HostWait.configured());
        System.setProperty(HostWait.PROPERTY, "yield");
        assertEquals(HostWait.YIELD, HostWait.configured());
    }

    @Test
    void anUnknownModeIsAnInvalidArgumentNamingTheChoices() {
        System.setProperty(HostWait.PROPERTY, "fast");
        EngineError e = assertThrows(EngineError.class, HostWait::configured);
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("auto, spin, yield or blocking"), e.getMessage());
    }
}
