package org.videoforge.job.segmented;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.videoforge.contract.Status;
import org.videoforge.contract.UpscaleResult;
import org.videoforge.error.ErrorCode;

/**
 * Checks a result against what {@code UpscaleResult.avsc} documents, field by field. Each check
 * names the phrase of the field's {@code doc} it verifies and fails if the doc no longer says it;
 * every field of the schema must have a check, so a new field cannot go out undocumented or
 * unchecked.
 */
final class UpscaleResultDocs {
    static final Set<String> STAGES = Set.of("decode", "preprocess", "inference", "encode", "assemble");

    private final Map<String, Check> checks = new LinkedHashMap<>();

    private record Check(String docPhrase, Consumer<UpscaleResult> assertion) {
    }

    private UpscaleResultDocs check(String field, String docPhrase, Consumer<UpscaleResult> assertion) {
        checks.put(field, new Check(docPhrase, assertion));
        return this;
    }

    private void verify(UpscaleResult r) {
        List<String> fields = UpscaleResult.getClassSchema().getFields().stream().map(Schema.Field::name).toList();
        assertEquals(Set.copyOf(fields), checks.keySet(), "a check for every field of UpscaleResult.avsc");
        checks.forEach((field, check) -> {
            String doc = UpscaleResult.getClassSchema().getField(field).doc();
            assertNotNull(doc, field + " is documented");
            assertTrue(doc.contains(check.docPhrase()), field + "'s doc says '" + check.docPhrase() + "': " + doc);
            check.assertion().accept(r);
        });
    }

    /** A published video: {@code frames} frames in {@code segments} segments at {@code output}. */
    static void assertSucceeded(UpscaleResult r, String requestId, Path output, long frames, int segments) {
        new UpscaleResultDocs()
                .check("requestId", "The request's id", x -> assertEquals(requestId, x.getRequestId().toString()))
                .check("status", "SUCCEEDED: the whole output is published at outputUri",
                        x -> assertEquals(Status.SUCCEEDED, x.getStatus(), x.toString()))
                .check("errorCode", "0 on success", x -> assertEquals(0, x.getErrorCode()))
                .check("errorMessage", "null on success", x -> assertNull(x.getErrorMessage()))
                .check("frames", "Video frames in the published output", x -> assertEquals(frames, x.getFrames()))
                .check("segments", "segments the video was split into", x -> assertEquals(segments, x.getSegments()))
                .check("durationMillis", "to the output being published", x -> assertTrue(x.getDurationMillis() > 0))
                // slotMillis is truncated to whole milliseconds; fps is computed from the exact wall time.
                .check("fps", "frames / (slotMillis / 1000)", x -> assertTrue(
                        x.getFps() <= x.getFrames() / (x.getSlotMillis() / 1000.0)
                                && x.getFps() >= x.getFrames() / ((x.getSlotMillis() + 1) / 1000.0), x.toString()))
                .check("slotMillis", "Wall time of its segments in the frame path",
                        x -> assertTrue(x.getSlotMillis() > 0, x.toString()))
                .check("outputUri", "The published output, as a path",
                        x -> assertEquals(output.toString(), String.valueOf(x.getOutputUri())))
                .check("stageMillis", "(decode, preprocess, inference, encode), ms; and assemble", x -> {
                    assertEquals(STAGES, Set.copyOf(x.getStageMillis().keySet().stream().map(Object::toString).toList()));
                    x.getStageMillis().values().forEach(ms -> assertTrue(ms >= 0, x.toString()));
                })
                .verify(r);
    }

    /** The result of a record that is not a request, read from {@code topic} (of {@code partitions}). */
    static void assertUnreadable(UpscaleResult r, String topic, int partitions) {
        failure(r, ErrorCode.REQUEST_INVALID)
                .check("requestId", "'unreadable:' followed by where it came from, topic-partition@offset",
                        x -> assertTrue(x.getRequestId().toString().matches("unreadable:" + topic + "-[0-"
                                + (partitions - 1) + "]@\\d+"), x.getRequestId().toString()))
                .verify(r);
    }

    /** A failed video with {@code code}, named {@code requestId}. */
    static void assertFailed(UpscaleResult r, String requestId, ErrorCode code) {
        failure(r, code)
                .check("requestId", "The request's id", x -> assertEquals(requestId, x.getRequestId().toString()))
                .verify(r);
    }

    private static UpscaleResultDocs failure(UpscaleResult r, ErrorCode code) {
        return new UpscaleResultDocs()
                .check("status", "FAILED: nothing was published; see errorCode",
                        x -> assertEquals(Status.FAILED, x.getStatus(), x.toString()))
                .check("errorCode", "Stable VideoForge error code", x -> assertEquals(code.number(), x.getErrorCode()))
                .check("errorMessage", "What went wrong", x -> {
                    assertNotNull(x.getErrorMessage());
                    assertFalse(x.getErrorMessage().toString().endsWith("null"), x.getErrorMessage().toString());
                })
                .check("frames", "0 on failure", x -> assertEquals(0, x.getFrames()))
                .check("segments", "0 on failure", x -> assertEquals(0, x.getSegments()))
                .check("durationMillis", "on failure: to the failure", x -> assertTrue(x.getDurationMillis() >= 0))
                .check("fps", "0 on failure", x -> assertEquals(0.0, x.getFps()))
                .check("slotMillis", "0 on failure", x -> assertEquals(0, x.getSlotMillis()))
                .check("outputUri", "null on failure", x -> assertNull(x.getOutputUri()))
                .check("stageMillis", "Empty on failure", x -> assertTrue(x.getStageMillis().isEmpty()));
    }
}
