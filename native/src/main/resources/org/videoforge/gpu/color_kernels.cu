// VideoForge colour conversion kernels: NV12/P010 frames <-> RGB planar tensors (NCHW, [0,1]).
//
// These must compute exactly what org.videoforge.color.CpuColorConverter (the CPU oracle)
// computes, operation by operation and in the same order: the program is compiled with
// --fmad=false (no a*b+c contraction), IEEE division and no flush-to-zero, so every float
// operation rounds like Java's. Coefficients come from org.videoforge.color.YuvCoefficients.
//
// Layout (tight, see PixelFormat): `pitch` samples per row (even-rounded width), `height` luma
// rows, then ceil(height/2) rows of interleaved Cb,Cr. NV12 samples are bytes; P010 samples are
// little-endian 16-bit words holding the 10-bit code in the high bits (code << 6).
//
// Kernel parameters, in order:  src, dst, width, height, pitch, YUV_COEFFICIENTS (12 floats).
// No headers are included (NVRTC needs none): half conversion uses the PTX cvt instructions.

#define YUV_COEFFICIENTS                                                                      \
    float yOffset, float yScale, float cOffset, float cScale, float maxCode, float kr, float kg, \
        float kb, float rFromCr, float gFromCb, float gFromCr, float bFromCb

typedef unsigned char u8;
typedef unsigned short u16;

// ---- samples -------------------------------------------------------------------------------

struct Nv12 {
    typedef u8 T;
    static __device__ __forceinline__ float read(const T* p, size_t i) { return (float)p[i]; }
    static __device__ __forceinline__ void write(T* p, size_t i, int code) { p[i] = (T)code; }
};

struct P010 {
    typedef u16 T;
    static __device__ __forceinline__ float read(const T* p, size_t i) { return (float)(p[i] >> 6); }
    static __device__ __forceinline__ void write(T* p, size_t i, int code) { p[i] = (T)(code << 6); }
};

// ---- tensor elements -----------------------------------------------------------------------

struct F32 {
    typedef float T;
    static __device__ __forceinline__ void store(T* t, size_t i, float v) { t[i] = v; }
    static __device__ __forceinline__ float load(const T* t, size_t i) { return t[i]; }
};

// IEEE binary16 as raw bits; cvt.rn is round-to-nearest-even, like __float2half_rn and
// org.videoforge.frame.Float16.fromFloat (subnormals kept, no ftz).
struct F16 {
    typedef u16 T;
    static __device__ __forceinline__ void store(T* t, size_t i, float v) {
        u16 h;
        asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(v));
        t[i] = h;
    }
    static __device__ __forceinline__ float load(const T* t, size_t i) {
        float f;
        asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(t[i]));
        return f;
    }
};

// ---- arithmetic shared with the CPU path ---------------------------------------------------

// CpuColorConverter.clamp01: v < 0 ? 0 : (v > 1 ? 1 : v)  (keeps -0.0 as Java does)
static __device__ __forceinline__ float clamp01(float v) { return v < 0.f ? 0.f : (v > 1.f ? 1.f : v); }

// Java's Math.round(float): floor(v + 1/2) computed exactly. floorf(v + 0.5f) would differ for
// v = 0.49999997f and the like (the float addition rounds up); v - floorf(v) is exact.
static __device__ __forceinline__ int javaRound(float v) {
    float f = floorf(v);
    return (int)f + ((v - f) >= 0.5f ? 1 : 0);
}

// CpuColorConverter.quantise: round half up, clamp to [0, maxCode].
static __device__ __forceinline__ int quantise(float v, float maxCode) {
    int q = javaRound(v);
    return q < 0 ? 0 : ((float)q < maxCode ? q : (int)maxCode);
}

// ---- YUV 4:2:0 -> RGB planar: one thread per pixel, chroma replicated ----------------------

template <class Fmt, class Out>
static __device__ __forceinline__ void yuvToRgb(const typename Fmt::T* __restrict__ src,
                                                typename Out::T* __restrict__ dst, int width,
                                                int height, int pitch, YUV_COEFFICIENTS) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x >= width || y >= height) {
        return;
    }
    size_t chromaRow = (size_t)pitch * height + (size_t)(y >> 1) * pitch;
    size_t c = chromaRow + (size_t)(x & ~1);
    float yn = (Fmt::read(src, (size_t)y * pitch + x) - yOffset) / yScale;
    float cb = (Fmt::read(src, c) - cOffset) / cScale;
    float cr = (Fmt::read(src, c + 1) - cOffset) / cScale;
    size_t plane = (size_t)width * height;
    size_t i = (size_t)y * width + x;
    Out::store(dst, i, clamp01(yn + rFromCr * cr));
    Out::store(dst, plane + i, clamp01(yn - gFromCb * cb - gFromCr * cr));
    Out::store(dst, 2 * plane + i, clamp01(yn + bFromCb * cb));
}

// ---- RGB planar -> YUV 4:2:0: one thread per chroma sample (a 2x2 pixel block) --------------
// Writes the block's luma (pixels inside the frame only) and its Cb,Cr: the average of the four
// per-pixel Cb'/Cr' values, edge pixels repeated for odd sizes, summed in the CPU's order.

template <class In, class Fmt>
static __device__ __forceinline__ void rgbToYuv(const typename In::T* __restrict__ src,
                                                typename Fmt::T* __restrict__ dst, int width,
                                                int height, int pitch, YUV_COEFFICIENTS) {
    int cx = blockIdx.x * blockDim.x + threadIdx.x;
    int cy = blockIdx.y * blockDim.y + threadIdx.y;
    if (cx >= (width + 1) / 2 || cy >= (height + 1) / 2) {
        return;
    }
    size_t plane = (size_t)width * height;
    float sumCb = 0.f;
    float sumCr = 0.f;
    for (int dy = 0; dy < 2; dy++) {
        int py = 2 * cy + dy;
        int y = py < height ? py : height - 1;
        for (int dx = 0; dx < 2; dx++) {
            int px = 2 * cx + dx;
            int x = px < width ? px : width - 1;
            size_t i = (size_t)y * width + x;
            float r = clamp01(In::load(src, i));
            float g = clamp01(In::load(src, plane + i));
            float b = clamp01(In::load(src, 2 * plane + i));
            float yn = kr * r + kg * g + kb * b;
            if (px < width && py < height) {
                Fmt::write(dst, (size_t)y * pitch + x, quantise(yOffset + yScale * yn, maxCode));
            }
            sumCb += (b - yn) / bFromCb;
            sumCr += (r - yn) / rFromCr;
        }
    }
    size_t c = (size_t)pitch * height + (size_t)cy * pitch + 2 * (size_t)cx;
    Fmt::write(dst, c, quantise(cOffset + cScale * sumCb * 0.25f, maxCode));
    Fmt::write(dst, c + 1, quantise(cOffset + cScale * sumCr * 0.25f, maxCode));
}

// ---- entry points: {nv12,p010} x {f32,f16} --------------------------------------------------

#define YUV_TO_RGB(NAME, FMT, OUT)                                                               \
    extern "C" __global__ void NAME(const FMT::T* __restrict__ src, OUT::T* __restrict__ dst,    \
                                    int width, int height, int pitch, YUV_COEFFICIENTS) {        \
        yuvToRgb<FMT, OUT>(src, dst, width, height, pitch, yOffset, yScale, cOffset, cScale,     \
                           maxCode, kr, kg, kb, rFromCr, gFromCb, gFromCr, bFromCb);             \
    }

#define RGB_TO_YUV(NAME, IN, FMT)                                                                \
    extern "C" __global__ void NAME(const IN::T* __restrict__ src, FMT::T* __restrict__ dst,     \
                                    int width, int height, int pitch, YUV_COEFFICIENTS) {        \
        rgbToYuv<IN, FMT>(src, dst, width, height, pitch, yOffset, yScale, cOffset, cScale,      \
                          maxCode, kr, kg, kb, rFromCr, gFromCb, gFromCr, bFromCb);              \
    }

YUV_TO_RGB(nv12_to_rgb_f32, Nv12, F32)
YUV_TO_RGB(nv12_to_rgb_f16, Nv12, F16)
YUV_TO_RGB(p010_to_rgb_f32, P010, F32)
YUV_TO_RGB(p010_to_rgb_f16, P010, F16)

RGB_TO_YUV(rgb_f32_to_nv12, F32, Nv12)
RGB_TO_YUV(rgb_f16_to_nv12, F16, Nv12)
RGB_TO_YUV(rgb_f32_to_p010, F32, P010)
RGB_TO_YUV(rgb_f16_to_p010, F16, P010)
