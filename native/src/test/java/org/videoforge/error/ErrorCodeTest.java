package org.videoforge.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Error codes are a public contract: these numbers must never change meaning. */
class ErrorCodeTest {

    @Test
    void numbersArePinned() {
        Map<ErrorCode, Integer> pinned = new LinkedHashMap<>();
        pinned.put(ErrorCode.INVALID_ARGUMENT, 1000);
        pinned.put(ErrorCode.INPUT_NOT_FOUND, 1001);
        pinned.put(ErrorCode.INPUT_UNREADABLE, 1002);
        pinned.put(ErrorCode.NO_VIDEO_STREAM, 1003);
        pinned.put(ErrorCode.UNSUPPORTED_CODEC, 1004);
        pinned.put(ErrorCode.CORRUPT_STREAM, 1005);
        pinned.put(ErrorCode.UNSUPPORTED_PIXEL_FORMAT, 1006);
        pinned.put(ErrorCode.RAW_STREAM_NEEDS_GEOMETRY, 1007);
        pinned.put(ErrorCode.FRAME_SIZE_UNSUPPORTED, 1008);
        pinned.put(ErrorCode.MODEL_NOT_FOUND, 2001);
        pinned.put(ErrorCode.MODEL_INVALID, 2002);
        pinned.put(ErrorCode.MODEL_SHAPE_MISMATCH, 2003);
        pinned.put(ErrorCode.MODEL_PRECISION_MISMATCH, 2004);
        pinned.put(ErrorCode.VRAM_EXHAUSTED, 3001);
        pinned.put(ErrorCode.DEVICE_UNAVAILABLE, 3002);
        pinned.put(ErrorCode.BACKEND_UNAVAILABLE, 3003);
        pinned.put(ErrorCode.INFERENCE_FAILED, 3004);
        pinned.put(ErrorCode.ENCODER_UNAVAILABLE, 4001);
        pinned.put(ErrorCode.OUTPUT_WRITE_FAILED, 4002);
        pinned.put(ErrorCode.ENCODE_FAILED, 4003);
        pinned.put(ErrorCode.OUTPUT_DISK_FULL, 4004);
        pinned.put(ErrorCode.CANCELLED, 5001);
        pinned.put(ErrorCode.JOB_FAILED, 5002);
        pinned.put(ErrorCode.STALLED, 5003);
        pinned.put(ErrorCode.REQUEST_INVALID, 6001);
        pinned.put(ErrorCode.TOPIC_UNAVAILABLE, 6002);
        pinned.put(ErrorCode.INTERNAL, 9000);
        pinned.put(ErrorCode.PIPELINE_NOT_CHAINED, 9001);
        assertEquals(pinned.size(), ErrorCode.values().length, "a new code needs a pinned number here");
        pinned.forEach((code, number) -> {
            assertEquals(number, code.number(), code.name());
            assertSame(code, ErrorCode.ofNumber(number));
        });
        Set<Integer> unique = new HashSet<>(pinned.values());
        assertEquals(pinned.size(), unique.size());
    }

    @Test
    void engineErrorIsFoundInsideWrappers() {
        EngineError inner = new EngineError(ErrorCode.CORRUPT_STREAM, "bad slice");
        RuntimeException wrapped = new RuntimeException("task failed", new IllegalStateException("fetcher", inner));
        assertSame(inner, EngineError.findIn(wrapped).orElseThrow());
        assertEquals("E1005 CORRUPT_STREAM: bad slice", inner.oneLine());
    }
}
