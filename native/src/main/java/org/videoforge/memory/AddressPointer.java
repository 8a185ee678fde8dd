package org.videoforge.memory;

import org.bytedeco.javacpp.BytePointer;

/**
 * A non-owning JavaCPP view of {@code bytes} at a raw (host or device) address, e.g. the chroma
 * plane inside a pooled frame buffer, for native calls. Never frees anything.
 */
public final class AddressPointer extends BytePointer {
    public AddressPointer(long address, long bytes) {
        this.address = address;
        this.capacity = bytes;
        this.limit = bytes;
    }
}
