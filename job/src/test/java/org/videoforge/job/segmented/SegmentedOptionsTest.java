package org.videoforge.job.segmented;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.inference.BackendKind;
import org.videoforge.inference.ModelRef;
import picocli.CommandLine;

/**
 * The segmented jobs' shared flags: which GPUs the local slots use, how many slots there are, and
 * how the backend is checked locally (here) and for a cluster (by the TaskManagers).
 */
class SegmentedOptionsTest {
    private static final boolean CLUSTER = false;
    private static final boolean LOCAL = true;

    private static SegmentedOptions parse(String... flags) {
        BatchCommand batch = new BatchCommand();
        String[] args = new String[flags.length + 4];
        System.arraycopy(new String[] {"--input-dir", "in", "--staging", "staging"}, 0, args, 0, 4);
        System.arraycopy(flags, 0, args, 4, flags.length);
        new CommandLine(batch).parseArgs(args);
        return batch.options;
    }

    @Test
    void oneSlotOnDeviceZeroByDefault() {
        SegmentedOptions o = parse("--backend", "cuda");
        assertEquals(1, o.localSlots());
        assertEquals(List.of(0), o.pipelineConfig(CLUSTER).devices());
    }

    @Test
    void dashDPicksTheOneDevice() {
        assertEquals(List.of(3), parse("--backend", "cuda", "-d", "3").pipelineConfig(CLUSTER).devices());
    }

    @Test
    void devicesGiveOneSlotEachUnlessParallelismSaysOtherwise() {
        SegmentedOptions o = parse("--backend", "cuda", "--devices", "0,1");
        assertEquals(2, o.localSlots());
        assertEquals(List.of(0, 1), o.pipelineConfig(CLUSTER).devices());
        assertEquals(4, parse("--backend", "cuda", "--devices", "0,1", "--parallelism", "4").localSlots());
    }

    @Test
    void everyBackendIsAccepted() {
        assertEquals(BackendKind.TENSORRT, parse("--backend", "tensorrt").pipelineConfig(CLUSTER).backend());
        assertEquals(BackendKind.CPU, parse("--backend", "CPU").pipelineConfig(CLUSTER).backend());
        EngineError e = assertThrows(EngineError.class, () -> parse("--backend", "opencl").pipelineConfig(CLUSTER));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void locallyAGpuBackendNeedsAGpuHereAndAutoFallsBackToTheCpu() {
        assumeFalse(CudaRuntime.available(), "this machine has a GPU: the local checks pass here");
        EngineError e = assertThrows(EngineError.class, () -> parse("--backend", "cuda").pipelineConfig(LOCAL));
        assertEquals(ErrorCode.DEVICE_UNAVAILABLE, e.code());
        assertEquals(BackendKind.CPU, parse().pipelineConfig(LOCAL).backend());
        assertEquals(BackendKind.CPU, parse().pipelineConfig(CLUSTER).backend());
    }

    @Test
    void withoutMTheModelIsTheDefaultOfTheBackend() {
        assertEquals(ModelRef.DEFAULT_GPU, parse("--backend", "cuda").pipelineConfig(CLUSTER).model().reference());
        assertEquals(ModelRef.DEFAULT_GPU, parse("--backend", "tensorrt").pipelineConfig(CLUSTER).model().reference());
        assertEquals(ModelRef.DEFAULT_BUNDLED, parse("--backend", "cpu").pipelineConfig(CLUSTER).model().reference());
        assertEquals("esrgan-medium-x2",
                parse("--backend", "cuda", "-m", "esrgan-medium-x2").pipelineConfig(CLUSTER).model().reference());
    }

    @Test
    void aRepeatedDeviceIsAnInvalidArgument() {
        EngineError e = assertThrows(EngineError.class,
                () -> parse("--backend", "cuda", "--devices", "1,1").pipelineConfig(CLUSTER));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }
}
