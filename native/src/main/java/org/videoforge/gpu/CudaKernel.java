package org.videoforge.gpu;

import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.global.cudart;

/** One {@code extern "C" __global__} function of a loaded {@link NvrtcProgram}; valid while it is open. */
public final class CudaKernel {
    static final int BLOCK_X = 32;
    static final int BLOCK_Y = 8;

    private final NvrtcProgram program;
    private final String name;
    private final CUfunc_st function;

    CudaKernel(NvrtcProgram program, String name, CUfunc_st function) {
        this.program = program;
        this.name = name;
        this.function = function;
    }

    public String name() {
        return name;
    }

    public CUfunc_st function() {
        program.checkOpen();
        return function;
    }

    /** Queues a 2-D launch of {@code grid x block} threads on {@code stream}. */
    public void launch(int gridX, int gridY, int blockX, int blockY, CudaStream stream, KernelArgs args) {
        if (gridX <= 0 || gridY <= 0 || blockX <= 0 || blockY <= 0) {
            throw new IllegalArgumentException("empty launch of " + name + ": grid " + gridX + "x" + gridY
                    + " block " + blockX + "x" + blockY);
        }
        CudaErrors.checkDriver(cudart.cuLaunchKernel(function(), gridX, gridY, 1, blockX, blockY, 1, 0,
                stream.handle(), args.kernelParams(), (PointerPointer<?>) null), "cuLaunchKernel(" + name + ")");
    }

    /** Launches one thread per element of a {@code width x height} grid in 32x8 blocks. */
    public void launchOver(int width, int height, CudaStream stream, KernelArgs args) {
        launch((width + BLOCK_X - 1) / BLOCK_X, (height + BLOCK_Y - 1) / BLOCK_Y, BLOCK_X, BLOCK_Y, stream, args);
    }
}
