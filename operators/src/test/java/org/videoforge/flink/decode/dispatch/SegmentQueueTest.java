package org.videoforge.flink.decode.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.videoforge.flink.core.VideoTask;

class SegmentQueueTest {
    @Test
    void videosGoOutInOrderEachVideosSegmentsInOrderReturnedOnesFirst() {
        SegmentQueue q = new SegmentQueue();
        q.add(Plans.video("a", 3));
        q.add(Plans.video("b", 2));
        assertEquals(5, q.size());
        assertEquals("a#0", Plans.name(q.poll()));
        assertEquals("a#1", Plans.name(q.poll()));
        q.returnFirst(List.of(Plans.video("z", 9).video().forSegment(Plans.video("z", 9).segments().get(4)),
                Plans.video("z", 9).video().forSegment(Plans.video("z", 9).segments().get(7))));
        assertEquals(List.of("z#4", "z#7", "a#2", "b#0", "b#1"), drain(q));
        assertNull(q.poll());
        assertTrue(q.isEmpty());
    }

    @Test
    void theQueueSurvivesItsSerializer() throws IOException {
        SegmentQueue q = new SegmentQueue();
        q.add(Plans.video("a", 4));
        q.add(Plans.video("b", 2));
        q.poll();
        q.returnFirst(List.of(Plans.video("r", 3).video().forSegment(Plans.video("r", 3).segments().get(2))));
        SegmentQueue back = SegmentQueue.Serializer.INSTANCE.deserialize(SegmentQueue.Serializer.INSTANCE.getVersion(),
                SegmentQueue.Serializer.INSTANCE.serialize(q));
        assertEquals(List.of("r#2", "a#1", "a#2", "a#3", "b#0", "b#1"), drain(back));
        // the tasks themselves come back whole: their probe and origin
        SegmentQueue again = new SegmentQueue();
        again.add(Plans.video("c", 1));
        VideoTask t = SegmentQueue.Serializer.INSTANCE.deserialize(1, SegmentQueue.Serializer.INSTANCE.serialize(again)).poll();
        assertEquals("origin-c", t.origin());
        assertEquals(Plans.video("c", 1).video().source().toString(), t.source().toString());
    }

    private static List<String> drain(SegmentQueue q) {
        List<String> out = new ArrayList<>();
        for (VideoTask t = q.poll(); t != null; t = q.poll()) {
            out.add(Plans.name(t));
        }
        return out;
    }
}
