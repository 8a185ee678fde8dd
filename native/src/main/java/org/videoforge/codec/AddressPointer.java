package org.videoforge.codec;

import org.bytedeco.javacpp.BytePointer;

/**
 * A non-owning JavaCPP view of {@code bytes} at a raw address, e.g. the chroma plane inside a
 * pooled frame buffer, for filling FFmpeg's data[] arrays. Never frees anything.
 */
final class AddressPointer extends BytePointer {
    AddressPointer(long address, long bytes) {
        this.address = address;
        this.capacity = bytes;
        this.limit = bytes;
    }
}
