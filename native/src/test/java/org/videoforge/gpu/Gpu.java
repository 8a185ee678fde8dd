package org.videoforge.gpu;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Paths;

/** Test support: GPU tests skip (not fail) where no CUDA device is usable. */
final class Gpu {
    private Gpu() {
    }

    /** Skips the calling test unless a CUDA device is usable. */
    static void assume() {
        assumeTrue(CudaRuntime.available(), () -> "no CUDA device: " + CudaRuntime.unavailableReason());
    }

    /** True on a machine with no NVIDIA hardware at all: no /dev/nvidia0 and no nvidia-smi. */
    static boolean noNvidiaHardware() {
        if (Files.exists(Paths.get("/dev/nvidia0")) || Files.exists(Paths.get("/dev/nvidiactl"))) {
            return false;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (Files.isExecutable(Paths.get(dir, "nvidia-smi"))) {
                    return false;
                }
            }
        }
        return true;
    }
}
