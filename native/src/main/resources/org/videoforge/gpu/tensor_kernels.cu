// VideoForge tensor kernels: the tile blending of tiled inference, and a model's pixel-shuffle tail.
// Values are formed in FP32 and stored in the tensor's precision (FP16 with round-to-nearest-even,
// like org.videoforge.frame.Float16).
//
// accumulate_tile_*: out[c, y0+y, x0+x] += weight(x) * weight(y) * tile[c, y, x]. The weights are
// org.videoforge.frame.Feather's (same formula as Feather.ramp): each axis a rising and a falling
// linear ramp, so that neighbouring tiles' weights sum to 1 over their overlap. One thread per
// tile pixel; each thread does the 3 planes. Tiles of one frame are accumulated one after another
// on one stream, so no two threads add to the same element at once.
// Parameters: tile, out, tileWidth, tileHeight, outWidth, outHeight, x0, y0,
//             riseX, riseXLength, fallX, fallXLength, riseY, riseYLength, fallY, fallYLength.
//
// pixel_shuffle_*: out[c, y s + i, x s + j] = body[c s^2 + i s + j, y, x] (+ in[c, y, x] where
// residual), org.videoforge.inference.PixelShuffleTail. Body element (k, y, x) lies at
// k * channelStride + (y * width + x) * pixelStride: planar (width * height, 1) or channels-last
// (1, channels rounded up to 8: TensorRT's kHWC8). One thread per input pixel, each writing its
// 3 s x s output blocks; neighbouring threads write neighbouring runs of s values.
// Kernels pixel_shuffle_x{2,3,4,8}_{f32,f16}; parameters: body, in, out, width, height,
// channelStride, pixelStride, residual.

typedef unsigned short u16;

struct F32 {
    typedef float T;
    static __device__ __forceinline__ float load(const T* t, size_t i) { return t[i]; }
    static __device__ __forceinline__ void store(T* t, size_t i, float v) { t[i] = v; }
};

struct F16 {
    typedef u16 T;
    static __device__ __forceinline__ float load(const T* t, size_t i) {
        float f;
        asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(t[i]));
        return f;
    }
    static __device__ __forceinline__ u16 bits(float v) {
        u16 h;
        asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(v));
        return h;
    }
    static __device__ __forceinline__ void store(T* t, size_t i, float v) { t[i] = bits(v); }
};

__device__ __forceinline__ float clamp01(float v) { return v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v); }

__device__ __forceinline__ float ramp(int p, int rise, int riseLength, int fall, int fallLength) {
    float w = 1.0f;
    if (riseLength > 0) w *= clamp01(((float)(p - rise) + 0.5f) / (float)riseLength);
    if (fallLength > 0) w *= clamp01(((float)(fall + fallLength - p) - 0.5f) / (float)fallLength);
    return w;
}

template <typename E>
__device__ void accumulate(const typename E::T* tile, typename E::T* out, int tw, int th, int ow, int oh, int x0,
                           int y0, int riseX, int riseXLength, int fallX, int fallXLength, int riseY,
                           int riseYLength, int fallY, int fallYLength) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x >= tw || y >= th) return;
    float w = ramp(x, riseX, riseXLength, fallX, fallXLength) * ramp(y, riseY, riseYLength, fallY, fallYLength);
    size_t tilePlane = (size_t)tw * th;
    size_t outPlane = (size_t)ow * oh;
    size_t ti = (size_t)y * tw + x;
    size_t oi = (size_t)(y0 + y) * ow + (x0 + x);
    for (int c = 0; c < 3; c++) {
        float sum = E::load(out, c * outPlane + oi) + w * E::load(tile, c * tilePlane + ti);
        E::store(out, c * outPlane + oi, sum);
    }
}

#define TILE_PARAMS(T)                                                                                     \
    const T *tile, T *out, int tw, int th, int ow, int oh, int x0, int y0, int riseX, int riseXLength,     \
        int fallX, int fallXLength, int riseY, int riseYLength, int fallY, int fallYLength
#define TILE_ARGS tile, out, tw, th, ow, oh, x0, y0, riseX, riseXLength, fallX, fallXLength, riseY, riseYLength, \
                  fallY, fallYLength

extern "C" __global__ void accumulate_tile_f32(TILE_PARAMS(float)) { accumulate<F32>(TILE_ARGS); }
extern "C" __global__ void accumulate_tile_f16(TILE_PARAMS(u16)) { accumulate<F16>(TILE_ARGS); }

// A run of n values stored at element i, whose alignment is that of n elements (scales 2, 4
// and 8: out rows and planes are multiples of s long): 8- or 16-byte stores, so a warp writes one
// contiguous span instead of n strided ones.
struct alignas(8) Words2 { unsigned a, b; };
struct alignas(16) Floats4 { float a, b, c, d; };

template <typename E>
__device__ __forceinline__ void storeRun(typename E::T* t, size_t i, const float* v, int n) {
    for (int q = 0; q < n; q++) E::store(t, i + q, v[q]);
}

template <>
__device__ __forceinline__ void storeRun<F16>(u16* t, size_t i, const float* v, int n) {
    if ((n & 3) == 0) {
        for (int q = 0; q < n; q += 4) {
            Words2 w = {F16::bits(v[q]) | ((unsigned)F16::bits(v[q + 1]) << 16),
                        F16::bits(v[q + 2]) | ((unsigned)F16::bits(v[q + 3]) << 16)};
            *(Words2*)(t + i + q) = w;
        }
    } else if ((n & 1) == 0) {
        for (int q = 0; q < n; q += 2) *(unsigned*)(t + i + q) = F16::bits(v[q]) | ((unsigned)F16::bits(v[q + 1]) << 16);
    } else {
        for (int q = 0; q < n; q++) t[i + q] = F16::bits(v[q]);
    }
}

template <>
__device__ __forceinline__ void storeRun<F32>(float* t, size_t i, const float* v, int n) {
    if ((n & 3) == 0) {
        for (int q = 0; q < n; q += 4) {
            Floats4 w = {v[q], v[q + 1], v[q + 2], v[q + 3]};
            *(Floats4*)(t + i + q) = w;
        }
    } else {
        for (int q = 0; q < n; q++) t[i + q] = v[q];
    }
}

// S a template parameter, so that the loops unroll and the run stays in registers.
template <typename E, int S>
__device__ void pixelShuffle(const typename E::T* body, const typename E::T* in, typename E::T* out, int width,
                             int height, int channelStride, int pixelStride, int residual) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x >= width || y >= height) return;
    size_t pixel = (size_t)y * width + x;
    size_t plane = (size_t)width * height;
    size_t outWidth = (size_t)width * S;
    size_t outPlane = plane * S * S;
    float run[S];
#pragma unroll
    for (int c = 0; c < 3; c++) {
        float base = residual ? E::load(in, c * plane + pixel) : 0.0f;
#pragma unroll
        for (int i = 0; i < S; i++) {
#pragma unroll
            for (int j = 0; j < S; j++) {
                size_t k = (size_t)(c * S + i) * S + j;
                float v = E::load(body, k * channelStride + pixel * pixelStride);
                run[j] = residual ? v + base : v;
            }
            storeRun<E>(out, c * outPlane + ((size_t)y * S + i) * outWidth + (size_t)x * S, run, S);
        }
    }
}

#define SHUFFLE_PARAMS(T) \
    const T *body, const T *in, T *out, int width, int height, int channelStride, int pixelStride, int residual
#define SHUFFLE_ARGS body, in, out, width, height, channelStride, pixelStride, residual
#define SHUFFLE(S)                                                                                                   \
    extern "C" __global__ void pixel_shuffle_x##S##_f32(SHUFFLE_PARAMS(float)) { pixelShuffle<F32, S>(SHUFFLE_ARGS); } \
    extern "C" __global__ void pixel_shuffle_x##S##_f16(SHUFFLE_PARAMS(u16)) { pixelShuffle<F16, S>(SHUFFLE_ARGS); }

SHUFFLE(2)
SHUFFLE(3)
SHUFFLE(4)
SHUFFLE(8)
