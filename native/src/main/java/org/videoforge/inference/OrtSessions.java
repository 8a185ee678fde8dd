package org.videoforge.inference;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.onnxruntime.Session;
import org.bytedeco.onnxruntime.SessionOptions;
import org.bytedeco.onnxruntime.global.onnxruntime;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/** Creates ONNX Runtime sessions from model bytes, turning load failures into coded errors. */
public final class OrtSessions {
    private OrtSessions() {
    }

    /** Options shared by every backend; execution providers are appended by the caller. */
    public static SessionOptions baseOptions(int intraOpThreads) {
        SessionOptions so = new SessionOptions();
        so.SetGraphOptimizationLevel(onnxruntime.ORT_ENABLE_ALL);
        so.SetLogSeverityLevel(onnxruntime.ORT_LOGGING_LEVEL_ERROR);
        if (intraOpThreads > 0) {
            so.SetIntraOpNumThreads(intraOpThreads);
        }
        return so;
    }

    /** The session owns nothing of {@code options} afterwards; the caller closes both. */
    public static Session create(byte[] model, SessionOptions options, String description) {
        try (BytePointer bytes = new BytePointer(model)) {
            return new Session(OrtEnvironment.get(), bytes, model.length, options);
        } catch (RuntimeException e) {
            throw new EngineError(ErrorCode.MODEL_INVALID,
                    "ONNX Runtime cannot load model " + description + ": " + firstLine(e.getMessage()), e);
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
