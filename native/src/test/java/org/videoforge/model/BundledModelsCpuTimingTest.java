package org.videoforge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.videoforge.frame.Precision;

/**
 * Measurement, not a check: ORT CPU time of one 640x360 frame through the bundled
 * models. Off by default (it takes tens of seconds); run with
 * {@code mvn test -Dtest=BundledModelsCpuTimingTest -Dvideoforge.model.timing=true}
 * (and {@code -Dvideoforge.model.timing.models=esrgan-thick-x4,...} for other models).
 */
@EnabledIfSystemProperty(named = "videoforge.model.timing", matches = "true")
class BundledModelsCpuTimingTest {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final int RUNS = 3;

    @Test
    void timeOneFrame() {
        OrtCpu.Tensor frame = TestImages.random(HEIGHT, WIDTH, 1);
        String models = System.getProperty("videoforge.model.timing.models", "esrgan-slim-x2,esrgan-medium-x2");
        for (String name : models.split(",")) {
            for (Precision p : Precision.values()) {
                int s = BundledModels.scale(name).orElseThrow();
                try (OrtCpu ort = new OrtCpu(BundledModels.load(name, p).orElseThrow())) {
                    long[] ms = new long[RUNS];
                    assertArrayEquals(new long[] {1, 3, HEIGHT * s, WIDTH * s}, ort.run(frame, p).shape()); // warm-up
                    for (int i = 0; i < RUNS; i++) {
                        long t0 = System.nanoTime();
                        ort.run(frame, p);
                        ms[i] = (System.nanoTime() - t0) / 1_000_000;
                    }
                    Arrays.sort(ms);
                    System.out.printf("%s %s %dx%d on ORT CPU (%d intra-op threads, %d cores): median %d ms, min %d ms%n",
                            name, p, WIDTH, HEIGHT, 2, Runtime.getRuntime().availableProcessors(), ms[RUNS / 2], ms[0]);
                }
            }
        }
    }
}
