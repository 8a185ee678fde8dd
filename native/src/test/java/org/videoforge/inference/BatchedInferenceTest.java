package org.videoforge.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.videoforge.device.HostFrameDevice;
import org.videoforge.frame.Precision;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.model.SrVggNetCompact;

class BatchedInferenceTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Precision.class)
    void aBatchGivesEachFrameExactlyItsOwnRunsOutput(Precision p) throws IOException {
        Path model = Files.write(dir.resolve("compact.onnx"), SrVggNetCompact.build(2, p, 5));
        int w = 40;
        int h = 24;
        int n = 3;
        List<FrameBuffer> inputs = new ArrayList<>();
        List<FrameBuffer> batched = new ArrayList<>();
        try (HostFrameDevice device = new HostFrameDevice();
             OrtCpuBackend backend = OrtCpuBackend.open(ModelRef.of(model.toString()), p, 2)) {
            try {
                for (int i = 0; i < n; i++) {
                    FrameBuffer in = device.acquire(p.tensorBytes(1, h, w));
                    inputs.add(in);
                    TestTensors.fillImage(in, p, w, h, 100 + i);
                    batched.add(device.acquire(p.tensorBytes(1, 2 * h, 2 * w)));
                }
                BatchedInference.run(backend, device, inputs, batched, h, w);
                int values = 3 * 4 * h * w;
                for (int i = 0; i < n; i++) {
                    try (FrameBuffer alone = device.acquire(p.tensorBytes(1, 2 * h, 2 * w))) {
                        backend.run(inputs.get(i), alone, 1, h, w);
                        assertArrayEquals(TestTensors.read(alone, p, values), TestTensors.read(batched.get(i), p, values),
                                "frame " + i + " of the batch");
                    }
                }
            } finally {
                inputs.forEach(FrameBuffer::close);
                batched.forEach(FrameBuffer::close);
            }
        }
    }
}
