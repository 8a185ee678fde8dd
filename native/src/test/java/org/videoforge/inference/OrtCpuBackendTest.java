package org.videoforge.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.onnxruntime.MemoryInfo;
import org.bytedeco.onnxruntime.RunOptions;
import org.bytedeco.onnxruntime.Session;
import org.bytedeco.onnxruntime.SessionOptions;
import org.bytedeco.onnxruntime.Value;
import org.bytedeco.onnxruntime.ValueVector;
import org.bytedeco.onnxruntime.global.onnxruntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.model.OnnxGraphBuilder;
import org.videoforge.model.OnnxGraphBuilder.Dim;
import org.videoforge.model.SrVggNetCompact;

class OrtCpuBackendTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void ioBoundRunEqualsADirectOnnxRuntimeCall() throws IOException {
        byte[] model = SrVggNetCompact.build(2, Precision.FP32, 11);
        int h = 12;
        int w = 20;
        float[] input = new float[3 * h * w];
        Random rnd = new Random(5);
        for (int i = 0; i < input.length; i++) {
            input[i] = rnd.nextFloat();
        }

        float[] viaBackend = new float[3 * 4 * h * w];
        try (BucketedBufferPool pool = BucketedBufferPool.host("t");
             OrtCpuBackend backend = OrtCpuBackend.open(ModelRef.of(write("m.onnx", model).toString()), Precision.FP32, 1);
             FrameBuffer in = pool.acquire(Precision.FP32.tensorBytes(1, h, w));
             FrameBuffer out = pool.acquire(Precision.FP32.tensorBytes(1, 2 * h, 2 * w))) {
            assertEquals(2, backend.model().scale());
            assertEquals(Precision.FP32, backend.model().precision());
            in.hostBytes().asFloatBuffer().put(input);
            backend.run(in, out, 1, h, w);
            out.hostBytes().asFloatBuffer().get(viaBackend);
        }

        float[] direct = new float[viaBackend.length];
        try (SessionOptions so = OrtSessions.baseOptions(1);
             Session s = OrtSessions.create(model, so, "direct");
             MemoryInfo cpu = MemoryInfo.CreateCpu(onnxruntime.OrtArenaAllocator, onnxruntime.OrtMemTypeDefault);
             FloatPointer data = new FloatPointer(input);
             RunOptions ro = new RunOptions();
             PointerPointer<?> inNames = new PointerPointer<>("input");
             PointerPointer<?> outNames = new PointerPointer<>("output")) {
            Value v = Value.CreateTensor(cpu.asOrtMemoryInfo(), data, 4L * input.length, new long[] {1, 3, h, w}, 4,
                    onnxruntime.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT);
            ValueVector result = s.Run(ro, inNames, v, 1, outNames, 1);
            FloatPointer o = result.get(0).GetTensorMutableDataFloat();
            o.capacity(direct.length).get(direct);
            result.close();
            v.close();
        }
        assertArrayEquals(direct, viaBackend, "IO binding on pool buffers must give exactly ONNX Runtime's output");
    }

    @Test
    void modelErrorsAreCoded() throws IOException {
        EngineError missing = assertThrows(EngineError.class,
                () -> OrtCpuBackend.open(ModelRef.of(dir.resolve("nope.onnx").toString()), Precision.FP32, 1));
        assertEquals(ErrorCode.MODEL_NOT_FOUND, missing.code());

        Path garbage = write("garbage.onnx", "not a model".getBytes(StandardCharsets.UTF_8));
        EngineError invalid = assertThrows(EngineError.class,
                () -> OrtCpuBackend.open(ModelRef.of(garbage.toString()), Precision.FP32, 1));
        assertEquals(ErrorCode.MODEL_INVALID, invalid.code());

        OnnxGraphBuilder rank3 = new OnnxGraphBuilder("rank3", Precision.FP32);
        String x = rank3.input("input", Dim.of(3), Dim.param("H"), Dim.param("W"));
        rank3.output(rank3.mul(x, 2f), "output", Dim.of(3), Dim.param("H"), Dim.param("W"));
        Path wrongRank = write("rank3.onnx", rank3.build());
        EngineError rank = assertThrows(EngineError.class,
                () -> OrtCpuBackend.open(ModelRef.of(wrongRank.toString()), Precision.FP32, 1));
        assertEquals(ErrorCode.MODEL_SHAPE_MISMATCH, rank.code());

        Path fp16 = write("fp16.onnx", SrVggNetCompact.build(2, Precision.FP16, 1));
        EngineError precision = assertThrows(EngineError.class,
                () -> OrtCpuBackend.open(ModelRef.of(fp16.toString()), Precision.FP32, 1));
        assertEquals(ErrorCode.MODEL_PRECISION_MISMATCH, precision.code());
    }

    @Test
    void bundledDefaultModelIsReadFromTheFile() {
        try (OrtCpuBackend backend = OrtCpuBackend.open(ModelRef.of(null), Precision.FP32, 1)) {
            assertEquals(2, backend.model().scale());
            assertEquals(true, backend.model().dynamicSpatial());
        }
        try (OrtCpuBackend backend = OrtCpuBackend.open(ModelRef.of("esrgan-slim-x4"), Precision.FP16, 1)) {
            assertEquals(4, backend.model().scale());
            assertEquals(Precision.FP16, backend.model().precision());
        }
    }

}
