package org.videoforge.gpu;

import org.bytedeco.javacpp.Pointer;

/** A non-owning JavaCPP view of a raw (host or device) address, for passing to native calls. */
final class RawAddress extends Pointer {
    RawAddress(long address) {
        this.address = address;
    }
}
