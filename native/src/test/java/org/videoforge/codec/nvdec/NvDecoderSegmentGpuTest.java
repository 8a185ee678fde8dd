package org.videoforge.codec.nvdec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.KeyframeIndex;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.codec.RangeDecoder;
import org.videoforge.testing.GopClips;
import org.videoforge.testing.KeyframeSegments;

/**
 * Segments on NVDEC, as the segmented jobs decode them: one decoder seeks from segment to segment
 * (forwards and backwards), and each segment holds exactly the CPU decoder's frames of its range,
 * pts and pixels, for H.264, HEVC 8-bit and Main10, closed and open GOPs, MP4 and Matroska; NVDEC
 * decodes no more than the segment's own pictures and one GOP. Runs only where NVDEC is present.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NvDecoderSegmentGpuTest {
    private static final int FRAMES = 120;

    @TempDir
    static Path dir;

    private TestCudaDevice device;

    @BeforeAll
    void setUp() {
        if (NvdecTestGpu.present()) {
            device = TestCudaDevice.open();
        }
    }

    @BeforeEach
    void gpuPresent() {
        NvdecTestGpu.assumePresent();
    }

    @AfterEach
    void everyLeaseCameBack() {
        if (device != null) {
            assertEquals(0, device.pool.stats().leasesOut(), "device leases still out");
            assertEquals(0, CuvidCallbacks.registered(), "parser callbacks still registered");
        }
    }

    @AfterAll
    void tearDown() {
        if (device != null) {
            device.close();
        }
    }

    static Stream<GopClips.Kind> kinds() {
        return GopClips.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void segmentsEqualTheCpuDecodersFramesAndCostOnlyTheirOwnPictures(GopClips.Kind kind) {
        Path clip = kind.write(dir, NvdecTestVideos.WIDTH, NvdecTestVideos.HEIGHT, FRAMES);
        MediaInfo info = MediaProbe.probe(clip, null);
        Decodes.Decoded cpu = Decodes.cpu(info);
        assertEquals(FRAMES, cpu.frames().size());
        KeyframeSegments segments = KeyframeSegments.of(KeyframeIndex.read(info));
        List<KeyframeSegments.Range> ranges = segments.ranges();
        assertTrue(ranges.size() >= 5, kind + ": " + ranges);

        // The first segment from a fresh decoder, as the decode stage opens one for a video's start.
        try (NvDecoder fresh = NvDecoder.open(info, device.pool, device.context, null)) {
            check(kind, fresh, ranges.get(0), cpu);
        }
        // The others through one decoder that seeks: in order, then back to a middle one and the last.
        KeyframeSegments.Range middle = ranges.get(ranges.size() / 2);
        List<KeyframeSegments.Range> order = new ArrayList<>(ranges.subList(1, ranges.size()));
        order.add(middle);
        order.add(ranges.get(1));
        try (NvDecoder reused = NvDecoder.open(info, device.pool, device.context, null)) {
            for (KeyframeSegments.Range r : order) {
                long before = reused.picturesDecoded();
                check(kind, reused, r, cpu);
                long decoded = reused.picturesDecoded() - before;
                System.out.printf("NVDEC segment %s %s: %d frames, %d pictures decoded%n", kind, r, r.frames(), decoded);
                assertTrue(decoded <= r.frames() + GopClips.KEYFRAME_INTERVAL, kind + " " + r + ": NVDEC decoded "
                        + decoded + " pictures for " + r.frames() + " frames (at most one GOP more)");
            }
        }
    }

    /** Decodes {@code r} through {@code decoder} as the decode stage does and compares it with the CPU decode. */
    private void check(GopClips.Kind kind, NvDecoder decoder, KeyframeSegments.Range r, Decodes.Decoded cpu) {
        List<Long> pts = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        long bytes = cpu.layout().frameBytes(cpu.width(), cpu.height());
        RangeDecoder range = RangeDecoder.borrowing(decoder, r.startPts(), r.endPts(), r.frames(), kind + " " + r);
        for (DecodedFrame next = range.next(); next != null; next = range.next()) {
            try (DecodedFrame f = next) {
                pts.add(f.pts());
                frames.add(device.download(f.buffer(), bytes));
            }
        }
        range.close();
        List<Long> expectedPts = cpu.pts().subList(r.firstFrame(), r.firstFrame() + r.frames());
        assertEquals(expectedPts, pts, kind + " " + r + ": the CPU decoder's timestamps");
        Decodes.Decoded expected = new Decodes.Decoded(expectedPts,
                cpu.frames().subList(r.firstFrame(), r.firstFrame() + r.frames()), cpu.layout(), cpu.width(), cpu.height());
        Decodes.Decoded got = new Decodes.Decoded(pts, frames, cpu.layout(), cpu.width(), cpu.height());
        int maxDiff = Decodes.maxSampleDiff(expected, got);
        // Both are exact decoders: identical is expected; the assertion allows rounding by one, as for whole files.
        assertTrue(maxDiff <= 1, kind + " " + r + ": NVDEC differs from the CPU decoder by up to " + maxDiff
                + " in " + Decodes.framesDiffering(expected, got) + " frames");
    }
}
