package org.videoforge.device;

import org.videoforge.codec.FrameDecoder;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.VideoDecoder;
import org.videoforge.color.CpuColorConverter;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Precision;
import org.videoforge.frame.VideoStreamInfo;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryBudget;
import org.videoforge.memory.MemoryKind;
import org.videoforge.memory.SharedPools;

/** The CPU path: FFmpeg decode, the CPU colour converter, frames in the shared host pool. */
public final class HostFrameDevice implements FrameDevice {
    private final SharedPools.Handle pool = SharedPools.host();
    private final CpuColorConverter converter = new CpuColorConverter();
    private final HostTensorOps tensorOps = new HostTensorOps();

    @Override
    public MemoryKind memory() {
        return MemoryKind.HOST;
    }

    @Override
    public FrameDecoder openDecoder(MediaInfo video) {
        return VideoDecoder.open(video, pool.pool());
    }

    @Override
    public FrameBuffer acquire(long bytes) {
        return pool.pool().acquire(bytes);
    }

    @Override
    public FrameBuffer toTensor(FrameBuffer yuv, VideoStreamInfo video, Precision p) {
        FrameBuffer tensor = acquire(p.tensorBytes(1, video.height(), video.width()));
        try {
            converter.yuvToRgbPlanar(yuv.hostBytes(), video.pixelFormat(), video.width(), video.height(),
                    video.color(), new CpuColorConverter.TensorView(tensor.hostBytes(), 0, p));
            return tensor;
        } catch (RuntimeException e) {
            tensor.close();
            throw e;
        }
    }

    @Override
    public FrameBuffer toHostYuv(FrameBuffer tensor, int width, int height, VideoStreamInfo video, Precision p) {
        PixelFormat format = video.pixelFormat();
        FrameBuffer yuv = acquire(format.frameBytes(width, height));
        try {
            converter.rgbPlanarToYuv(new CpuColorConverter.TensorView(tensor.hostBytes(), 0, p), width, height,
                    video.color(), format, yuv.hostBytes());
            return yuv;
        } catch (RuntimeException e) {
            yuv.close();
            throw e;
        }
    }

    @Override
    public TensorOps tensorOps() {
        return tensorOps;
    }

    @Override
    public MemoryBudget memoryBudget() {
        return pool.pool().budget();
    }

    /** Frames never leave host memory on the CPU path. */
    @Override
    public long hostCopies() {
        return 0;
    }

    @Override
    public void close() {
        pool.close();
    }
}
