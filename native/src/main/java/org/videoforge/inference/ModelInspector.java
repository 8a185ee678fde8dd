package org.videoforge.inference;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.onnxruntime.ConstTensorTypeAndShapeInfo;
import org.bytedeco.onnxruntime.MemoryInfo;
import org.bytedeco.onnxruntime.RunOptions;
import org.bytedeco.onnxruntime.Session;
import org.bytedeco.onnxruntime.TypeInfo;
import org.bytedeco.onnxruntime.Value;
import org.bytedeco.onnxruntime.ValueVector;
import org.bytedeco.onnxruntime.global.onnxruntime;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;

/**
 * Reads a {@link ModelSpec} from a loaded session and rejects models the pipeline cannot drive.
 * The upscale factor is read from static shapes when the model has them, otherwise measured by
 * one run on a small probe tensor (dynamic H/W models declare no output size).
 */
public final class ModelInspector {
    /** Probe side for dynamic models: small enough to be instant, large enough for any SR stem. */
    private static final int PROBE_SIDE = 16;

    private ModelInspector() {
    }

    public static ModelSpec inspect(Session session, String description) {
        if (session.GetInputCount() != 1 || session.GetOutputCount() != 1) {
            throw mismatch(description, "has " + session.GetInputCount() + " inputs and "
                    + session.GetOutputCount() + " outputs; exactly one of each is needed");
        }
        String in = session.GetInputNames().get(0).getString();
        String out = session.GetOutputNames().get(0).getString();
        long[] inShape;
        long[] outShape;
        int inType;
        int outType;
        try (TypeInfo ti = session.GetInputTypeInfo(0); TypeInfo to = session.GetOutputTypeInfo(0)) {
            ConstTensorTypeAndShapeInfo i = ti.GetTensorTypeAndShapeInfo();
            ConstTensorTypeAndShapeInfo o = to.GetTensorTypeAndShapeInfo();
            inShape = i.GetShape().get();
            outShape = o.GetShape().get();
            inType = i.GetElementType();
            outType = o.GetElementType();
        } catch (RuntimeException e) {
            throw mismatch(description, "input or output is not a tensor");
        }
        if (inShape.length != 4 || outShape.length != 4) {
            throw mismatch(description, "has input rank " + inShape.length + " and output rank " + outShape.length
                    + "; NCHW rank 4 is needed");
        }
        if ((inShape[1] > 0 && inShape[1] != 3) || (outShape[1] > 0 && outShape[1] != 3)) {
            throw mismatch(description, "has " + inShape[1] + " input / " + outShape[1]
                    + " output channels; RGB (3) NCHW is needed");
        }
        Precision precision = precisionOf(inType, description);
        if (precisionOf(outType, description) != precision) {
            throw mismatch(description, "input and output element types differ");
        }
        int fixedH = (int) inShape[2];
        int fixedW = (int) inShape[3];
        int scale;
        if (fixedH > 0 && outShape[2] > 0) {
            scale = exactScale(outShape[2], fixedH, description);
        } else {
            int h = fixedH > 0 ? fixedH : PROBE_SIDE;
            int w = fixedW > 0 ? fixedW : PROBE_SIDE;
            long[] probed = probeOutputShape(session, in, out, precision, h, w, description);
            scale = exactScale(probed[2], h, description);
            if (exactScale(probed[3], w, description) != scale) {
                throw mismatch(description, "scales height and width differently");
            }
        }
        return new ModelSpec(in, out, precision, scale, fixedH > 0 ? fixedH : -1, fixedW > 0 ? fixedW : -1,
                inShape[0] < 0);
    }

    private static long[] probeOutputShape(Session s, String in, String out, Precision p, int h, int w,
                                           String description) {
        long bytes = p.tensorBytes(1, h, w);
        int type = elementType(p);
        try (MemoryInfo cpu = MemoryInfo.CreateCpu(onnxruntime.OrtArenaAllocator, onnxruntime.OrtMemTypeDefault);
             BytePointer data = new BytePointer(bytes);
             RunOptions ro = new RunOptions()) {
            data.fill(0);
            Value input = Value.CreateTensor(cpu.asOrtMemoryInfo(), data, bytes, new long[] {1, 3, h, w}, 4, type);
            try (PointerPointer<BytePointer> inNames = new PointerPointer<>(in);
                 PointerPointer<BytePointer> outNames = new PointerPointer<>(out)) {
                ValueVector result = s.Run(ro, inNames, input, 1, outNames, 1);
                long[] shape = result.get(0).GetTensorTypeAndShapeInfo().GetShape().get();
                result.close();
                input.close();
                if (shape.length != 4 || shape[1] != 3) {
                    throw mismatch(description, "returned a tensor of rank " + shape.length + " for a probe frame");
                }
                return shape;
            }
        } catch (EngineError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EngineError(ErrorCode.MODEL_INVALID, "model " + description + " failed on a "
                    + w + "x" + h + " probe frame: " + OrtSessions.firstLine(e.getMessage()), e);
        }
    }

    private static int exactScale(long outSide, long inSide, String description) {
        if (outSide <= 0 || outSide % inSide != 0) {
            throw mismatch(description, "maps a side of " + inSide + " to " + outSide + ", not an integer upscale");
        }
        return (int) (outSide / inSide);
    }

    private static Precision precisionOf(int onnxType, String description) {
        if (onnxType == onnxruntime.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) {
            return Precision.FP32;
        }
        if (onnxType == onnxruntime.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16) {
            return Precision.FP16;
        }
        throw mismatch(description, "has tensor element type " + onnxType + "; float32 or float16 is needed");
    }

    static int elementType(Precision p) {
        return p == Precision.FP32 ? onnxruntime.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT
                : onnxruntime.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16;
    }

    private static EngineError mismatch(String description, String what) {
        return new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "model " + description + " " + what);
    }
}
