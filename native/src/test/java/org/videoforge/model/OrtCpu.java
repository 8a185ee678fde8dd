package org.videoforge.model;

import org.videoforge.frame.Float16;
import static org.bytedeco.onnxruntime.global.onnxruntime.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;
import static org.bytedeco.onnxruntime.global.onnxruntime.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16;
import static org.bytedeco.onnxruntime.global.onnxruntime.ORT_LOGGING_LEVEL_WARNING;
import static org.bytedeco.onnxruntime.global.onnxruntime.OrtArenaAllocator;
import static org.bytedeco.onnxruntime.global.onnxruntime.OrtMemTypeDefault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;
import org.bytedeco.onnxruntime.Env;
import org.bytedeco.onnxruntime.MemoryInfo;
import org.bytedeco.onnxruntime.RunOptions;
import org.bytedeco.onnxruntime.Session;
import org.bytedeco.onnxruntime.SessionOptions;
import org.bytedeco.onnxruntime.TensorTypeAndShapeInfo;
import org.bytedeco.onnxruntime.Value;
import org.bytedeco.onnxruntime.ValueVector;
import org.videoforge.frame.Precision;

/** Test harness: one ONNX Runtime CPU session over model bytes, float tensors in and out. */
final class OrtCpu implements AutoCloseable {
    private static final Env ENV = new Env(ORT_LOGGING_LEVEL_WARNING, "videoforge-model-test");

    /** A dense tensor, row-major, values as floats whatever the element type on the wire. */
    record Tensor(long[] shape, float[] data) {
    }

    private final SessionOptions options = new SessionOptions();
    private final BytePointer modelBytes;
    private final Session session;
    private final String inputName;
    private final String outputName;

    OrtCpu(byte[] model) {
        options.SetIntraOpNumThreads(2);
        modelBytes = new BytePointer(model);
        session = new Session(ENV, modelBytes, model.length, options);
        inputName = session.GetInputNames().get(0).getString();
        outputName = session.GetOutputNames().get(0).getString();
    }

    String inputName() {
        return inputName;
    }

    String outputName() {
        return outputName;
    }

    /** Runs the model on {@code input}, sent as FP32 or FP16 (the model's input type). */
    Tensor run(Tensor input, Precision precision) {
        return run(input, precision, List.of(outputName)).get(0);
    }

    /** Every output of the model on {@code input}, by name, in the model's order. */
    Map<String, Tensor> runAll(Tensor input, Precision precision) {
        List<String> names = new ArrayList<>();
        var all = session.GetOutputNames();
        for (long i = 0; i < all.size(); i++) {
            names.add(all.get(i).getString());
        }
        List<Tensor> values = run(input, precision, names);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), values.get(i));
        }
        return out;
    }

    private List<Tensor> run(Tensor input, Precision precision, List<String> outputs) {
        long n = input.data().length;
        Pointer data;
        if (precision == Precision.FP16) {
            short[] half = new short[(int) n];
            for (int i = 0; i < n; i++) {
                half[i] = Float16.fromFloat(input.data()[i]);
            }
            data = new ShortPointer(half);
        } else {
            data = new FloatPointer(input.data());
        }
        int type = precision == Precision.FP16 ? ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 : ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;
        try (MemoryInfo memory = MemoryInfo.CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
             LongPointer shape = new LongPointer(input.shape());
             PointerPointer<?> inNames = new PointerPointer<>(inputName);
             PointerPointer<?> outNames = new PointerPointer<>(outputs.toArray(new String[0]));
             RunOptions runOptions = new RunOptions();
             Value in = Value.CreateTensor(memory.asOrtMemoryInfo(), data, n * precision.bytes(), shape,
                     input.shape().length, type);
             ValueVector outs = session.Run(runOptions, inNames, in, 1, outNames, outputs.size())) {
            List<Tensor> result = new ArrayList<>();
            for (int i = 0; i < outputs.size(); i++) {
                result.add(toTensor(outs.get(i)));
            }
            return result;
        } finally {
            data.close();
        }
    }

    private static Tensor toTensor(Value out) {
        TensorTypeAndShapeInfo info = out.GetTensorTypeAndShapeInfo();
        long[] outShape = info.GetShape().get();
        int outType = info.GetElementType();
        info.close();
        long count = 1;
        for (long d : outShape) {
            count *= d;
        }
        float[] values = new float[(int) count];
        if (outType == ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16) {
            ShortPointer p = new ShortPointer(out.GetTensorMutableRawData()).capacity(count);
            short[] half = new short[(int) count];
            p.get(half);
            for (int i = 0; i < count; i++) {
                values[i] = Float16.toFloat(half[i]);
            }
        } else if (outType == ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) {
            out.GetTensorMutableDataFloat().capacity(count).get(values);
        } else {
            throw new IllegalStateException("unexpected output element type " + outType);
        }
        return new Tensor(outShape, values);
    }

    @Override
    public void close() {
        session.close();
        options.close();
        modelBytes.close();
    }
}
