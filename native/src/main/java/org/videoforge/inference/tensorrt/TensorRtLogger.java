package org.videoforge.inference.tensorrt;

import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TensorRT's {@code ILogger}, routed to slf4j (logger {@code org.videoforge.inference.tensorrt.TensorRT}):
 * internal errors and errors at ERROR, warnings at WARN, info at DEBUG (TensorRT's info is chatty:
 * memory snapshots, tactic counts), verbose at TRACE. Errors and warnings are also kept in
 * {@link #messages()} for coded errors. TensorRT keeps the raw pointer for the life of every builder,
 * runtime and parser, and calls it from its own threads, so there is exactly one instance, held in a
 * static field for the life of the JVM (a collected logger would be a dangling callback).
 */
final class TensorRtLogger extends ILogger {
    private static final Logger LOG = LoggerFactory.getLogger("org.videoforge.inference.tensorrt.TensorRT");

    /** Strong reference: never collected, never deallocated. Created on first use, after the JNI probe. */
    private static TensorRtLogger instance;

    private final TrtMessages messages = new TrtMessages();

    private TensorRtLogger() {
        super();
    }

    static synchronized TensorRtLogger get() {
        TensorRtRuntime.require();
        if (instance == null) {
            instance = new TensorRtLogger();
        }
        return instance;
    }

    TrtMessages messages() {
        return messages;
    }

    @Override
    public void log(Severity severity, String msg) {
        // Called from native code, possibly on a TensorRT thread: nothing may escape.
        try {
            int s = severity == null ? Severity.kERROR.value : severity.value;
            if (s == Severity.kINTERNAL_ERROR.value) {
                messages.add("internal error", msg);
                LOG.error("internal error: {}", msg);
            } else if (s == Severity.kERROR.value) {
                messages.add("error", msg);
                LOG.error("{}", msg);
            } else if (s == Severity.kWARNING.value) {
                messages.add("warning", msg);
                LOG.warn("{}", msg);
            } else if (s == Severity.kINFO.value) {
                LOG.debug("{}", msg);
            } else {
                LOG.trace("{}", msg);
            }
        } catch (Throwable ignored) {
            // a logging failure must never unwind into TensorRT
        }
    }
}
