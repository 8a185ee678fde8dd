package org.videoforge.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.FrameDecoder;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.frame.Rational;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.gpu.DevicePools;
import org.videoforge.memory.SharedPools;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.testing.SyntheticClips;

/**
 * A VRAM ceiling hit in the middle of a run fails that video only: on one device (one shared
 * device pool, as the slots of a TaskManager share it) a small video runs, a larger one runs out
 * of the --vram-limit after its first frame with VRAM_EXHAUSTED and gives back every lease, and
 * the next small video runs as before.
 */
class VramCeilingGpuTest {
    private static final long LIMIT = 4L << 20;

    @TempDir
    Path dir;

    @Test
    void onlyTheVideoOverTheCeilingFails() {
        assumeTrue(CudaRuntime.available(), () -> "no CUDA device: " + CudaRuntime.unavailableReason());
        Path small = SyntheticClips.h264(dir.resolve("small.mp4"), 320, 240, 12, new Rational(24, 1));
        Path large = SyntheticClips.h264(dir.resolve("large.mp4"), 1280, 720, 12, new Rational(24, 1));
        // The first holder of cuda:0's pool fixes its limit; the device below shares this pool.
        try (SharedPools.Handle pool = DevicePools.device(0, LIMIT);
             CudaFrameDevice gpu = CudaFrameDevice.open(0, LIMIT)) {
            assertEquals(LIMIT, pool.pool().budget().limitBytes());
            assertEquals(12, run(gpu, pool, small));
            EngineError e = assertThrows(EngineError.class, () -> run(gpu, pool, large));
            assertEquals(ErrorCode.VRAM_EXHAUSTED, e.code(), e.oneLine());
            assertTrue(e.getMessage().contains("limit"), e.getMessage());
            assertEquals(12, run(gpu, pool, small), "the video after the one over the ceiling");
        }
    }

    /** Decodes every frame and makes its FP16 tensor on the device; returns the frames. */
    private static int run(CudaFrameDevice gpu, SharedPools.Handle pool, Path video) {
        MediaInfo info = MediaProbe.probe(video, null);
        int frames = 0;
        try (FrameDecoder decoder = gpu.openDecoder(info)) {
            DecodedFrame f;
            while ((f = decoder.next()) != null) {
                try (DecodedFrame frame = f;
                     FrameBuffer tensor = gpu.toTensor(frame.buffer(), info.video(), Precision.FP16)) {
                    assertTrue(tensor.capacity() >= Precision.FP16.tensorBytes(1, frame.height(), frame.width()));
                    frames++;
                }
            }
        } finally {
            assertEquals(0, pool.pool().stats().leasesOut(), "every device lease came back");
        }
        return frames;
    }
}
