package org.videoforge.device;

import org.videoforge.codec.FrameDecoder;
import org.videoforge.codec.MediaInfo;
import org.videoforge.frame.Precision;
import org.videoforge.frame.VideoStreamInfo;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryBudget;
import org.videoforge.memory.MemoryKind;

/**
 * Where one pipeline stage keeps frames and how it converts them: host memory and the CPU
 * colour converter, or a GPU's memory, its NVRTC kernels and one CUDA stream. Each stage opens
 * its own instance (they run on different threads); pools are shared per device. The operators
 * call only this interface, so the same four operators serve the CPU and the GPU path.
 */
public interface FrameDevice extends AutoCloseable {
    /** Memory that tensors of this device live in (what the inference backend binds). */
    MemoryKind memory();

    /** A decoder for {@code video}: NVDEC where the GPU takes the stream, else FFmpeg on the CPU. */
    FrameDecoder openDecoder(MediaInfo video);

    /** A lease from this device's pool (tensors, decoded frames). */
    FrameBuffer acquire(long bytes);

    /**
     * NV12/P010 frame (host or device memory) to an RGB planar [1,3,h,w] tensor of precision
     * {@code p} in this device's memory. The input stays owned by the caller. Returns when the
     * tensor is ready for the next stage.
     */
    FrameBuffer toTensor(FrameBuffer yuv, VideoStreamInfo video, Precision p);

    /**
     * RGB planar [1,3,h,w] tensor in this device's memory to an NV12/P010 frame in HOST memory,
     * ready for the software encoder (on a GPU: kernel, then one download).
     */
    FrameBuffer toHostYuv(FrameBuffer tensor, int width, int height, VideoStreamInfo video, Precision p);

    /** Copies and tile blending between tensors of this device (micro-batching, tiling); owned by this device. */
    TensorOps tensorOps();

    /** The ceiling and current holding of this device's frame pool (unlimited on the CPU path). */
    MemoryBudget memoryBudget();

    /** Frame copies between host and device this instance has made (uploads plus downloads). */
    long hostCopies();

    @Override
    void close();
}
