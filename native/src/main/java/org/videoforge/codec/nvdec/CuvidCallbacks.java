package org.videoforge.codec.nvdec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.nvcodec.nvcuvid.CUVIDEOFORMAT;
import org.bytedeco.nvcodec.nvcuvid.CUVIDPARSERDISPINFO;
import org.bytedeco.nvcodec.nvcuvid.CUVIDPICPARAMS;
import org.bytedeco.nvcodec.nvcuvid.PFNVIDDECODECALLBACK;
import org.bytedeco.nvcodec.nvcuvid.PFNVIDDISPLAYCALLBACK;
import org.bytedeco.nvcodec.nvcuvid.PFNVIDSEQUENCECALLBACK;

/**
 * The parser's three callbacks, shared by every parser in the process and routed to the parser's
 * {@link Handler} by the {@code pUserData} the parser was created with (a registry id, not an
 * object address).
 *
 * <p>Why shared: each JavaCPP FunctionPointer instance occupies one of a fixed number of native
 * thunk slots per callback type (10 by default, {@code @Allocator(max)}), so one instance per
 * decoder would cap the process at 10 live decoders and leak slots until GC. Three static
 * instances are allocated once and stay strongly reachable for the life of the class, which the
 * native side requires. The JNI thunks may run on several threads at once (one per decoding
 * thread); the registry is concurrent and each handler only touches its own decoder.
 */
final class CuvidCallbacks {
    /** What one parser's callbacks do. Implementations catch everything; a Java exception must not unwind into NVDEC. */
    interface Handler {
        /** pfnSequenceCallback: 0 = fail, 1 = ok, n > 1 = ok and use n decode surfaces. */
        int sequence(CUVIDEOFORMAT format);

        /** pfnDecodePicture: 0 = fail, 1 = ok. */
        int decode(CUVIDPICPARAMS picture);

        /** pfnDisplayPicture (null info = end of stream notice): 0 = fail, 1 = ok. */
        int display(CUVIDPARSERDISPINFO info);
    }

    private static final Map<Long, Handler> HANDLERS = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    private CuvidCallbacks() {
    }

    /** Created on first use, after NvdecRuntime has loaded the JNI library that allocates the thunks. */
    private static final class Shared {
        static final PFNVIDSEQUENCECALLBACK SEQUENCE = new PFNVIDSEQUENCECALLBACK() {
            @Override
            public int call(Pointer userData, CUVIDEOFORMAT format) {
                Handler h = handlerOf(userData);
                return h == null ? 0 : h.sequence(format);
            }
        };
        static final PFNVIDDECODECALLBACK DECODE = new PFNVIDDECODECALLBACK() {
            @Override
            public int call(Pointer userData, CUVIDPICPARAMS picture) {
                Handler h = handlerOf(userData);
                return h == null ? 0 : h.decode(picture);
            }
        };
        static final PFNVIDDISPLAYCALLBACK DISPLAY = new PFNVIDDISPLAYCALLBACK() {
            @Override
            public int call(Pointer userData, CUVIDPARSERDISPINFO info) {
                Handler h = handlerOf(userData);
                return h == null ? 0 : h.display(info);
            }
        };
    }

    static PFNVIDSEQUENCECALLBACK sequence() {
        return Shared.SEQUENCE;
    }

    static PFNVIDDECODECALLBACK decode() {
        return Shared.DECODE;
    }

    static PFNVIDDISPLAYCALLBACK display() {
        return Shared.DISPLAY;
    }

    /** Registers {@code h}; the returned pointer is the parser's pUserData (its address is the id). */
    static Pointer register(Handler h) {
        long id = NEXT_ID.getAndIncrement();
        HANDLERS.put(id, h);
        return new Pointer() {
            {
                this.address = id;
            }
        };
    }

    /** After this, callbacks carrying {@code userData} fail (return 0) instead of reaching the handler. */
    static void unregister(Pointer userData) {
        if (userData != null) {
            HANDLERS.remove(userData.address());
        }
    }

    /** Handlers registered now; for tests. */
    static int registered() {
        return HANDLERS.size();
    }

    private static Handler handlerOf(Pointer userData) {
        return userData == null ? null : HANDLERS.get(userData.address());
    }
}
