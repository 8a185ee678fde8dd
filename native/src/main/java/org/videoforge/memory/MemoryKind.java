package org.videoforge.memory;

/** Where a buffer lives. The CPU backends use HOST; the GPU-resident path uses DEVICE. */
public enum MemoryKind {
    HOST,
    DEVICE
}
