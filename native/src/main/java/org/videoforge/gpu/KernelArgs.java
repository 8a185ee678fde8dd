package org.videoforge.gpu;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The {@code kernelParams} array of one cuLaunchKernel call, built from typed Java values in the
 * order of the kernel's parameters. cuLaunchKernel wants an array whose i-th entry is the
 * <em>address of</em> the i-th argument's value, so each value lives in its own native cell
 * (LongPointer for pointers, IntPointer, FloatPointer) and the array holds those cells' addresses.
 * (JavaCPP's one-argument {@code new PointerPointer(p)} is a cast, not a one-element array, and
 * passing device addresses directly crashes the driver; this class avoids both.) The driver
 * copies the values at launch, so the arguments may be closed as soon as the launch returns.
 */
public final class KernelArgs implements AutoCloseable {
    private final List<Pointer> cells = new ArrayList<>();
    private PointerPointer<Pointer> params;

    public static KernelArgs create() {
        return new KernelArgs();
    }

    /** A device (or host) pointer argument, e.g. {@code const float*}: 8 bytes. */
    public KernelArgs pointer(long address) {
        return add(new LongPointer(1).put(address));
    }

    /** An {@code int} argument. */
    public KernelArgs i32(int value) {
        return add(new IntPointer(1).put(value));
    }

    /** A {@code float} argument. */
    public KernelArgs f32(float value) {
        return add(new FloatPointer(1).put(value));
    }

    public int count() {
        return cells.size();
    }

    /** The void*[] for cuLaunchKernel, or null for a kernel without parameters. */
    PointerPointer<Pointer> kernelParams() {
        if (cells.isEmpty()) {
            return null;
        }
        if (params == null) {
            params = new PointerPointer<>(cells.size());
            for (int i = 0; i < cells.size(); i++) {
                params.put(i, cells.get(i));
            }
        }
        return params;
    }

    private KernelArgs add(Pointer cell) {
        if (params != null) {
            throw new IllegalStateException("arguments already passed to a launch");
        }
        cells.add(cell);
        return this;
    }

    @Override
    public void close() {
        if (params != null) {
            params.close();
        }
        cells.forEach(Pointer::close);
        cells.clear();
    }
}
