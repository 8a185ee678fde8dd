package org.videoforge.flink.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FrameGapsTest {
    @Test
    void keepsTheThreeLongestGapsLongestFirstWithTheFrameAfterEach() {
        FrameGaps gaps = new FrameGaps();
        long[] nanos = {4, 9, 1, 250, 4, 60, 3};
        for (int i = 0; i < nanos.length; i++) {
            gaps.add(i + 1, nanos[i]);
        }
        assertEquals(List.of(new FrameGaps.Gap(4, 250), new FrameGaps.Gap(6, 60), new FrameGaps.Gap(2, 9)),
                gaps.longest());
    }

    @Test
    void subtasksMergeIntoTheLongestOfAll() {
        FrameGapAccumulator a = new FrameGapAccumulator();
        FrameGaps first = new FrameGaps();
        first.add(10, 5);
        first.add(20, 50);
        a.add(first);
        first.add(30, 7); // the source keeps its gaps: the accumulator takes the latest copy, not a sum
        a.add(first);
        FrameGapAccumulator b = new FrameGapAccumulator();
        FrameGaps second = new FrameGaps();
        second.add(11, 40);
        second.add(12, 6);
        b.add(second);
        a.merge(b);
        assertEquals(List.of(new FrameGaps.Gap(20, 50), new FrameGaps.Gap(11, 40), new FrameGaps.Gap(30, 7)),
                a.getLocalValue().longest());
        assertEquals(3, a.clone().getLocalValue().longest().size());
    }
}
