// VideoForge tile blending: out[c, y0+y, x0+x] += weight(x) * weight(y) * tile[c, y, x].
//
// The weights are org.videoforge.frame.Feather's (same formula as Feather.ramp): each axis a
// rising and a falling linear ramp, so that neighbouring tiles' weights sum to 1 over their
// overlap. The sum is formed in FP32 and stored in the tensor's precision (FP16 stored with
// round-to-nearest-even, like org.videoforge.frame.Float16). One thread per tile pixel; each
// thread does the 3 planes. Tiles of one frame are accumulated one after another on one
// stream, so no two threads add to the same element at once.
//
// Parameters: tile, out, tileWidth, tileHeight, outWidth, outHeight, x0, y0,
//             riseX, riseXLength, fallX, fallXLength, riseY, riseYLength, fallY, fallYLength.

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
    static __device__ __forceinline__ void store(T* t, size_t i, float v) {
        u16 h;
        asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(v));
        t[i] = h;
    }
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
