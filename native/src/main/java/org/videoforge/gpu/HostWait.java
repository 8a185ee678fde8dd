package org.videoforge.gpu;

import java.util.Locale;
import org.bytedeco.cuda.global.cudart;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * How a host thread waits for the GPU (CUDA's device scheduling flag, set once per device before
 * its primary context exists). Spinning answers fastest but holds a core per waiting thread --
 * and this engine has several (decode, preprocess, ONNX Runtime's run, the download), on a host
 * whose cores the software encoder wants; yielding or blocking gives those cores back. Chosen with
 * the system property {@value #PROPERTY} ({@code auto}, {@code spin}, {@code yield}, {@code blocking}).
 */
public enum HostWait {
    /** CUDA's default: spin when there are more cores than active contexts, else yield. */
    AUTO(cudart.cudaDeviceScheduleAuto),
    SPIN(cudart.cudaDeviceScheduleSpin),
    YIELD(cudart.cudaDeviceScheduleYield),
    BLOCKING(cudart.cudaDeviceScheduleBlockingSync);

    public static final String PROPERTY = "videoforge.cuda.sync";
    static final HostWait DEFAULT = AUTO;

    private final int flag;

    HostWait(int flag) {
        this.flag = flag;
    }

    int flag() {
        return flag;
    }

    /** The mode the property asks for, or the default; INVALID_ARGUMENT naming the choices. */
    public static HostWait configured() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT;
        }
        try {
            return valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT,
                    "-D" + PROPERTY + "=" + v + ": use auto, spin, yield or blocking", e);
        }
    }
}
