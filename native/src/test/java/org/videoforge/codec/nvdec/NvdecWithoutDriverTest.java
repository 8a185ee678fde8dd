package org.videoforge.codec.nvdec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.VideoCodec;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.MemoryBudget;
import org.videoforge.memory.MemoryKind;
import org.videoforge.memory.RawAllocator;

/**
 * On a machine without an NVIDIA driver (this build machine) NVDEC is reported unusable and
 * opening a decoder fails with a code; nothing crashes. Skipped where a GPU is present.
 */
class NvdecWithoutDriverTest {
    @TempDir
    static Path dir;
    private static MediaInfo info;
    /** Looks like a context to the argument checks; only ever used where the driver is missing. */
    private static final CUctx_st FAKE_CONTEXT = new CUctx_st(new Pointer() {
        {
            this.address = 0x1000;
        }
    });

    @BeforeAll
    static void input() {
        info = MediaProbe.probe(NvdecTestVideos.h264(dir, "cpu-only.mp4", 5), null);
    }

    /** A DEVICE pool whose allocator must never be reached here. */
    private static BucketedBufferPool unusedDevicePool() {
        return new BucketedBufferPool("no-gpu", new RawAllocator() {
            @Override
            public MemoryKind kind() {
                return MemoryKind.DEVICE;
            }

            @Override
            public long allocate(long bytes) {
                throw new AssertionError("no device memory on this machine");
            }

            @Override
            public void free(long address) {
                throw new AssertionError("no device memory on this machine");
            }
        }, MemoryBudget.unlimited("no-gpu"));
    }

    @Test
    void nvdecIsNotUsableAndSaysSo() {
        assumeFalse(NvdecTestGpu.present(), "a GPU is present");
        assertFalse(NvdecRuntime.available());
        assertTrue(NvdecCapabilities.unavailableReason().isPresent());
        // A non-null context, so that the missing driver itself is what answers (never dereferenced here).
        assertTrue(NvdecCapabilities.query(VideoCodec.H264, 8, FAKE_CONTEXT).isEmpty());
        assertFalse(NvdecCapabilities.usable(info, FAKE_CONTEXT));
        assertTrue(NvdecCapabilities.query(VideoCodec.H264, 8, new CUctx_st()).isEmpty());
        assertTrue(NvdecCapabilities.query(VideoCodec.HEVC, 10, null).isEmpty());
        assertFalse(NvdecCapabilities.usable(info, new CUctx_st()));
        assertFalse(NvdecCapabilities.usable(info, null));
        assertFalse(NvdecCapabilities.usable(null, null));
    }

    @Test
    void openingADecoderIsDeviceUnavailable() {
        assumeFalse(NvdecTestGpu.present(), "a GPU is present");
        try (BucketedBufferPool pool = unusedDevicePool()) {
            EngineError e = assertThrows(EngineError.class, () -> NvDecoder.open(info, pool, FAKE_CONTEXT, null));
            assertEquals(ErrorCode.DEVICE_UNAVAILABLE, e.code(), e.oneLine());
            e = assertThrows(EngineError.class, () -> NvDecoder.open(info, pool, new CUctx_st(), null));
            assertEquals(ErrorCode.DEVICE_UNAVAILABLE, e.code(), e.oneLine());
            e = assertThrows(EngineError.class, () -> NvDecoder.open(info, pool, null, null));
            assertEquals(ErrorCode.DEVICE_UNAVAILABLE, e.code(), e.oneLine());
            assertEquals(0, pool.stats().leasesOut());
        }
    }

    @Test
    void aHostPoolIsRejectedBeforeAnythingNative() {
        try (BucketedBufferPool host = BucketedBufferPool.host("not-device")) {
            assertThrows(IllegalArgumentException.class, () -> NvDecoder.open(info, host, new CUctx_st(), null));
        }
    }
}
