package org.videoforge.inference.tensorrt;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.nvinfer.INoCopy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases TensorRT objects, which in C++ is {@code delete p}. The JavaCPP presets 1.5.13 wrap the
 * pointers that {@code createInferBuilder}, {@code createNetworkV2}, {@code deserializeCudaEngine},
 * {@code createExecutionContext} etc. return without a deallocator, so their {@code close()} and
 * {@code deallocate()} do nothing (javacpp-presets issue #1699) and, TensorRT 10 having removed
 * {@code destroy()}, there is no release path in the bindings.
 *
 * <p>{@link #delete(INoCopy)} does what {@code delete p} compiles to. Every such class derives
 * from {@code nvinfer1::INoCopy}, whose only virtual function is its destructor, so under the
 * Itanium C++ ABI (Linux) slot 0 of the object's vtable is the complete-object destructor and
 * slot 1 the deleting destructor, and {@code delete p} is {@code vtable[1](p)}. That call is made
 * through JavaCPP's own native deallocator trampoline ({@code Pointer.NativeDeallocator}, which calls
 * {@code f(owner)}), reached by reflection on {@code Pointer.init}. As a guard, the target must lie in
 * an executable mapping of a TensorRT library ({@code /proc/self/maps}); otherwise, if the bindings
 * ever get a real deallocator, or with {@code -Dvideoforge.tensorrt.nativeDelete=false}, nothing
 * unsafe is attempted (the object is closed the JavaCPP way, or left to the process, and logged once).
 *
 * <p>{@code nvonnxparser::IParser} is a plain interface whose destructor sits mid-vtable at a
 * version-dependent slot: it is not deleted here ({@link #closeQuietly}), a bounded host-memory leak
 * once per engine build.
 */
final class TrtRelease {
    private static final Logger LOG = LoggerFactory.getLogger(TrtRelease.class);

    static final String PROPERTY = "videoforge.tensorrt.nativeDelete";
    /** Slot of the deleting destructor (D0) in an INoCopy-derived vtable. */
    private static final int DELETING_DESTRUCTOR_SLOT = 1;

    private static final Method INIT;
    private static final Method DEALLOCATOR;
    private static final String UNUSABLE;
    private static volatile boolean warned;

    static {
        Method init = null;
        Method deallocator = null;
        String unusable = null;
        try {
            init = Pointer.class.getDeclaredMethod("init", long.class, long.class, long.class, long.class);
            init.setAccessible(true);
            deallocator = Pointer.class.getDeclaredMethod("deallocator");
            deallocator.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unusable = "JavaCPP's Pointer internals are not accessible (" + e + ")";
        }
        INIT = init;
        DEALLOCATOR = deallocator;
        UNUSABLE = unusable;
    }

    private TrtRelease() {
    }

    /** Deletes {@code obj} (null or already released: nothing) and nulls the Java handle. */
    static void delete(INoCopy obj, String what) {
        if (obj == null || obj.isNull()) {
            return;
        }
        try {
            if (hasDeallocator(obj)) {
                obj.close(); // bindings that own the object: the regular path
            } else if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
                leak(what, PROPERTY + "=false");
            } else if (UNUSABLE != null) {
                leak(what, UNUSABLE);
            } else {
                long self = obj.address();
                long vtable = readLong(self);
                long deleter = vtable == 0 ? 0 : readLong(vtable + 8L * DELETING_DESTRUCTOR_SLOT);
                if (deleter == 0 || !inExecutableMappingOf(deleter, "libnvinfer")) {
                    leak(what, "its destructor is not where the INoCopy ABI puts it");
                } else {
                    call(deleter, self); // delete obj
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            leak(what, e.toString());
        } finally {
            obj.setNull();
        }
    }

    /** Closes the JavaCPP handle (for objects outside INoCopy; a no-op for unowned pointers). */
    static void closeQuietly(Pointer p) {
        if (p == null || p.isNull()) {
            return;
        }
        try {
            p.close();
        } catch (RuntimeException e) {
            LOG.debug("closing {} failed: {}", p.getClass().getSimpleName(), e.toString());
        } finally {
            p.setNull();
        }
    }

    private static boolean hasDeallocator(Pointer p) throws ReflectiveOperationException {
        return DEALLOCATOR != null && DEALLOCATOR.invoke(p) != null;
    }

    /** The 8 bytes at native {@code at}. */
    static long readLong(long at) {
        try (LongPointer l = new LongPointer(new View(at))) {
            return l.get(0);
        }
    }

    /** A non-owning view of a native address. */
    private static final class View extends Pointer {
        View(long at) {
            this.address = at;
        }
    }

    /**
     * Calls the native {@code void function(void*)} at {@code function} with {@code argument}, through
     * JavaCPP's deallocator trampoline. Throws if JavaCPP's internals are not reachable.
     */
    static void call(long function, long argument) throws ReflectiveOperationException {
        if (UNUSABLE != null) {
            throw new IllegalStateException(UNUSABLE);
        }
        if (function == 0 || argument == 0) {
            throw new IllegalArgumentException("null function or argument");
        }
        Pointer trampoline = new Pointer();
        INIT.invoke(trampoline, argument, 1L, argument, function);
        trampoline.deallocate(); // NativeDeallocator: function(argument)
    }

    /** True if {@code address} lies in an executable mapping of a file whose name starts with {@code prefix}. */
    static boolean inExecutableMappingOf(long address, String prefix) {
        Path maps = Paths.get("/proc/self/maps");
        try {
            for (String line : Files.readAllLines(maps)) {
                if (isExecutableMappingOf(line, address, prefix)) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** Parses one /proc/self/maps line: "start-end perms offset dev inode path". */
    static boolean isExecutableMappingOf(String line, long address, String fileNamePrefix) {
        String[] f = line.trim().split("\\s+", 6);
        if (f.length < 6 || f[1].length() < 3 || f[1].charAt(2) != 'x') {
            return false;
        }
        int dash = f[0].indexOf('-');
        if (dash < 0) {
            return false;
        }
        long start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
        long end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
        if (Long.compareUnsigned(address, start) < 0 || Long.compareUnsigned(address, end) >= 0) {
            return false;
        }
        Path name = Paths.get(f[5].trim()).getFileName();
        return name != null && name.toString().startsWith(fileNamePrefix);
    }

    private static void leak(String what, String why) {
        if (!warned) {
            warned = true;
            LOG.warn("TensorRT objects cannot be deleted from Java here ({}); {} and later ones are left to the"
                    + " process (javacpp-presets #1699)", why, what);
        } else {
            LOG.debug("not deleting {}: {}", what, why);
        }
    }
}
