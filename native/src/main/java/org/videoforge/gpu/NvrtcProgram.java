package org.videoforge.gpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * CUDA C source compiled at run time with NVRTC for the device's architecture and loaded as a
 * module into the device's primary context. Compiled with IEEE float semantics (no fast math,
 * no FMA contraction, no flush-to-zero, exact division) so kernels compute what the equivalent
 * Java float code computes. A compile error is INTERNAL with NVRTC's log.
 */
public final class NvrtcProgram implements AutoCloseable {
    /** Options after the architecture; see the class comment. */
    static final String[] OPTIONS = {"-default-device", "--fmad=false", "--ftz=false", "--prec-div=true",
        "--prec-sqrt=true"};

    private final CudaDevice device;
    private final String fileName;
    private final CUmod_st module;
    private final Map<String, CudaKernel> kernels = new HashMap<>();
    private final String target;
    private boolean closed;

    private NvrtcProgram(CudaDevice device, String fileName, CUmod_st module, String target) {
        this.device = device;
        this.fileName = fileName;
        this.module = module;
        this.target = target;
    }

    /**
     * Compiles {@code source} for {@code device} and loads it. The device handle is borrowed: keep
     * it open for as long as this program.
     */
    public static NvrtcProgram compile(CudaDevice device, String source, String fileName) {
        requireNvrtc();
        int arch = targetArchitecture(device.computeCapability());
        byte[] ptx = compileTo(source, fileName, "compute_" + arch, false);
        device.bindToCurrentThread();
        CUmod_st module = new CUmod_st();
        int err;
        try (BytePointer image = new BytePointer(ptx)) {
            err = cudart.cuModuleLoadData(module, image);
        }
        String target = "compute_" + arch + " PTX";
        if (err == cudart.CUDA_ERROR_UNSUPPORTED_PTX_VERSION) {
            // NVRTC newer than the driver: its PTX cannot be JIT-compiled here, but a cubin for
            // the exact architecture still loads.
            byte[] cubin = compileTo(source, fileName, "sm_" + arch, true);
            try (BytePointer image = new BytePointer(cubin)) {
                err = cudart.cuModuleLoadData(module, image);
            }
            target = "sm_" + arch + " cubin";
        }
        CudaErrors.checkDriver(err, "cuModuleLoadData(" + fileName + ", " + target + ") on " + device);
        return new NvrtcProgram(device, fileName, module, target);
    }

    /** Compiles the CUDA source file {@code fileName}, a classpath resource next to {@code anchor}. */
    public static NvrtcProgram compileResource(CudaDevice device, Class<?> anchor, String fileName) {
        try (java.io.InputStream in = anchor.getResourceAsStream(fileName)) {
            if (in == null) {
                throw new EngineError(ErrorCode.INTERNAL, fileName + " is missing from the classpath");
            }
            return compile(device, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), fileName);
        } catch (java.io.IOException e) {
            throw new EngineError(ErrorCode.INTERNAL, "cannot read " + fileName + ": " + e.getMessage(), e);
        }
    }

    /** What was loaded, e.g. "compute_90 PTX". */
    public String target() {
        return target;
    }

    /** The kernel {@code name} (an {@code extern "C"} function); INTERNAL if the module has none. */
    public synchronized CudaKernel kernel(String name) {
        checkOpen();
        CudaKernel k = kernels.get(name);
        if (k == null) {
            device.bindToCurrentThread();
            CUfunc_st f = new CUfunc_st();
            CudaErrors.checkDriver(cudart.cuModuleGetFunction(f, module, name),
                    "cuModuleGetFunction(" + name + ") in " + fileName);
            k = new CudaKernel(this, name, f);
            kernels.put(name, k);
        }
        return k;
    }

    /** The raw function handle of kernel {@code name}. */
    public CUfunc_st function(String name) {
        return kernel(name).function();
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("NVRTC program " + fileName + " used after close");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        kernels.clear();
        device.bindToCurrentThread();
        CudaErrors.checkDriver(cudart.cuModuleUnload(module), "cuModuleUnload(" + fileName + ")");
    }

    /** The newest architecture NVRTC supports that does not exceed the device's compute capability. */
    static int targetArchitecture(int computeCapability) {
        int[] count = new int[1];
        CudaErrors.checkNvrtc(nvrtc.nvrtcGetNumSupportedArchs(count), "nvrtcGetNumSupportedArchs");
        int[] archs = new int[count[0]];
        CudaErrors.checkNvrtc(nvrtc.nvrtcGetSupportedArchs(archs), "nvrtcGetSupportedArchs");
        return chooseArchitecture(computeCapability, archs);
    }

    static int chooseArchitecture(int computeCapability, int[] supported) {
        int best = -1;
        for (int a : supported) {
            if (a <= computeCapability && a > best) {
                best = a;
            }
        }
        if (best < 0) {
            throw new EngineError(ErrorCode.DEVICE_UNAVAILABLE, "this NVRTC cannot compile for compute capability "
                    + computeCapability / 10 + "." + computeCapability % 10 + " (oldest it supports: "
                    + (supported.length == 0 ? "none" : supported[0]) + ")");
        }
        return best;
    }

    static List<String> options(String architecture) {
        List<String> all = new ArrayList<>();
        all.add("--gpu-architecture=" + architecture);
        all.addAll(List.of(OPTIONS));
        return all;
    }

    private static byte[] compileTo(String source, String fileName, String architecture, boolean cubin) {
        _nvrtcProgram prog = new _nvrtcProgram();
        try (BytePointer src = new BytePointer(source); BytePointer name = new BytePointer(fileName)) {
            CudaErrors.checkNvrtc(nvrtc.nvrtcCreateProgram(prog, src, name, 0, (PointerPointer<?>) null,
                    (PointerPointer<?>) null), "nvrtcCreateProgram(" + fileName + ")");
        }
        boolean compiled = false;
        try {
            List<String> opts = options(architecture);
            int rc;
            try (PointerPointer<BytePointer> o = new PointerPointer<>(opts.toArray(new String[0]))) {
                rc = nvrtc.nvrtcCompileProgram(prog, opts.size(), o);
            }
            if (rc != nvrtc.NVRTC_SUCCESS) {
                throw new EngineError(ErrorCode.INTERNAL, "NVRTC could not compile " + fileName + " for "
                        + architecture + " (" + CudaErrors.describeNvrtc(rc) + "):\n" + log(prog));
            }
            try (SizeTPointer size = new SizeTPointer(1)) {
                if (cubin) {
                    CudaErrors.checkNvrtc(nvrtc.nvrtcGetCUBINSize(prog, size), "nvrtcGetCUBINSize");
                } else {
                    CudaErrors.checkNvrtc(nvrtc.nvrtcGetPTXSize(prog, size), "nvrtcGetPTXSize");
                }
                try (BytePointer image = new BytePointer(size.get())) {
                    if (cubin) {
                        CudaErrors.checkNvrtc(nvrtc.nvrtcGetCUBIN(prog, image), "nvrtcGetCUBIN");
                    } else {
                        CudaErrors.checkNvrtc(nvrtc.nvrtcGetPTX(prog, image), "nvrtcGetPTX");
                    }
                    byte[] bytes = new byte[(int) size.get()];
                    image.get(bytes);
                    compiled = true;
                    return bytes;
                }
            }
        } finally {
            int rc = nvrtc.nvrtcDestroyProgram(prog);
            if (compiled) { // on the failure path the original error is the one to report
                CudaErrors.checkNvrtc(rc, "nvrtcDestroyProgram(" + fileName + ")");
            }
        }
    }

    private static String log(_nvrtcProgram prog) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            if (nvrtc.nvrtcGetProgramLogSize(prog, size) != nvrtc.NVRTC_SUCCESS || size.get() <= 1) {
                return "(no log)";
            }
            try (BytePointer log = new BytePointer(size.get())) {
                nvrtc.nvrtcGetProgramLog(prog, log);
                return log.getString();
            }
        }
    }

    private static void requireNvrtc() {
        try {
            Loader.load(nvrtc.class);
        } catch (Throwable t) {
            throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE,
                    "NVRTC (libnvrtc and libnvrtc-builtins of the CUDA toolkit) cannot be loaded: " + t, t);
        }
    }
}
