package org.videoforge.flink.resource;

/** How many GPUs this process can use, and why none where there are none. */
public interface DeviceCounter {
    /** Usable devices, numbered 0..count-1 as CUDA numbers them (after CUDA_VISIBLE_DEVICES). */
    int deviceCount();

    /** Why {@link #deviceCount()} is 0; "" otherwise. */
    String unavailableReason();
}
