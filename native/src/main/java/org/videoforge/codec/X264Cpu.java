package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avutil.AV_CPU_FLAG_AVX512;
import static org.bytedeco.ffmpeg.global.avutil.av_get_cpu_flags;

/**
 * Which SIMD libx264 may use. On CPUs with AVX-512, the x264 in the FFmpeg 8.0.1 build we ship
 * encodes the same frames with the same settings into different bitstreams from run to run (its
 * lookahead: with rc-lookahead=0, or with any instruction set up to AVX2, or with no SIMD at all,
 * the output is identical every time; measured 2026-11-24 on this project's 2-vCPU Xeon with
 * AVX-512, see EncoderDeterminismTest). A segment redone after a failure must come out the same as
 * the first time, so there libx264 is capped at AVX2 — which every AVX-512 CPU has, and which
 * costs x264 little (its AVX-512 kernels are few).
 */
final class X264Cpu {
    /** libx264 {@code asm} parameter: AVX2 and everything below it. */
    static final String DETERMINISTIC_ASM = "asm=AVX2";

    static final boolean HAS_AVX512 = (av_get_cpu_flags() & AV_CPU_FLAG_AVX512) != 0;

    private X264Cpu() {
    }
}
