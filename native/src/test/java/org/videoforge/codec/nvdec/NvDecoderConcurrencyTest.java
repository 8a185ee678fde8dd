package org.videoforge.codec.nvdec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.codec.RawInputHint;
import org.videoforge.frame.VideoCodec;

/**
 * Several NvDecoders at once, one per thread, sharing the context, the device pool and the
 * process-wide parser callbacks: each must produce exactly what it produces alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NvDecoderConcurrencyTest {
    @TempDir
    static Path dir;

    private TestCudaDevice device;
    private List<MediaInfo> inputs;
    private Map<MediaInfo, Decodes.Decoded> alone;

    @BeforeAll
    void setUp() {
        if (!NvdecTestGpu.present()) {
            return; // each test reports itself skipped (see gpuPresent), rather than the class vanishing
        }
        device = TestCudaDevice.open();
        inputs = List.of(
                MediaProbe.probe(NvdecTestVideos.h264(dir, "a.mp4", 48), null),
                MediaProbe.probe(NvdecTestVideos.hevc10(dir, "b.mkv", 24), null),
                MediaProbe.probe(NvdecTestVideos.h264(dir, "c.h264", 24),
                        new RawInputHint(VideoCodec.H264, NvdecTestVideos.WIDTH, NvdecTestVideos.HEIGHT)));
        alone = new java.util.HashMap<>();
        for (MediaInfo info : inputs) {
            alone.put(info, Decodes.gpu(info, device, null));
        }
    }

    @BeforeEach
    void gpuPresent() {
        NvdecTestGpu.assumePresent();
    }

    @AfterEach
    void everyLeaseCameBack() {
        if (device != null) {
            assertEquals(0, device.pool.stats().leasesOut());
            assertEquals(0, CuvidCallbacks.registered());
        }
    }

    @AfterAll
    void tearDown() {
        if (device != null) {
            device.close();
        }
    }

    @ParameterizedTest(name = "{0} decoders")
    @ValueSource(ints = {2, 7})
    void decodersOnSeveralThreadsMatchTheirSoloRuns(int decoders) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(decoders);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Decodes.Decoded>> results = new ArrayList<>();
            List<MediaInfo> assigned = new ArrayList<>();
            for (int i = 0; i < decoders; i++) {
                MediaInfo info = inputs.get(i % inputs.size());
                assigned.add(info);
                results.add(pool.submit(() -> {
                    start.await();
                    return Decodes.gpu(info, device, null);
                }));
            }
            start.countDown();
            for (int i = 0; i < decoders; i++) {
                Decodes.Decoded got = results.get(i).get(5, TimeUnit.MINUTES);
                Decodes.Decoded expected = alone.get(assigned.get(i));
                assertEquals(expected.pts(), got.pts(), "decoder " + i + " timestamps");
                assertEquals(expected.checksums(), got.checksums(), "decoder " + i + " pixels");
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }
}
