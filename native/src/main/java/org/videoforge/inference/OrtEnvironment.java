package org.videoforge.inference;

import org.bytedeco.onnxruntime.Env;
import org.bytedeco.onnxruntime.global.onnxruntime;

/**
 * The process-wide ONNX Runtime environment. ONNX Runtime allows one {@code OrtEnv} per process
 * and sessions must not outlive it, so it is created on first use and deliberately never closed:
 * it lives exactly as long as the JVM (TaskManager or CLI) that loaded the natives.
 */
public final class OrtEnvironment {
    private static Env env;

    private OrtEnvironment() {
    }

    public static synchronized Env get() {
        if (env == null) {
            env = new Env(onnxruntime.ORT_LOGGING_LEVEL_WARNING, "videoforge");
        }
        return env;
    }
}
