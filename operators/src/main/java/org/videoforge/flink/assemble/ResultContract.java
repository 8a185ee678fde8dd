package org.videoforge.flink.assemble;

import java.util.HashMap;
import org.videoforge.contract.Status;
import org.videoforge.contract.UpscaleResult;

/** {@link VideoResult} as the public Avro contract (operators/src/main/avro/UpscaleResult.avsc). */
public final class ResultContract {
    private ResultContract() {
    }

    public static UpscaleResult toAvro(VideoResult r) {
        return UpscaleResult.newBuilder()
                .setRequestId(r.getRequestId())
                .setStatus(r.isSucceeded() ? Status.SUCCEEDED : Status.FAILED)
                .setErrorCode(r.getErrorCode())
                .setErrorMessage(r.getErrorMessage())
                .setFrames(r.getFrames())
                .setSegments(r.getSegments())
                .setDurationMillis(r.getDurationMillis())
                .setFps(r.getFps())
                .setSlotMillis(r.getSlotMillis())
                .setOutputUri(r.getOutputUri())
                .setStageMillis(new HashMap<>(r.getStageMillis()))
                .build();
    }
}
