package org.videoforge.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.junit.jupiter.api.Test;
import org.videoforge.color.YuvCoefficients;
import org.videoforge.frame.ColorMatrix;
import org.videoforge.frame.ColorRange;
import org.videoforge.frame.ColorSpec;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Precision;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryBudget;
import org.videoforge.memory.MemoryKind;
import org.videoforge.memory.RawAllocator;

/**
 * Runs anywhere: the Java side of the colour kernels agrees with color_kernels.cu (kernel names,
 * coefficient order) and rejects bad arguments before any CUDA call.
 */
class ColorKernelsSourceTest {

    private static String source() throws IOException {
        try (InputStream in = ColorKernels.class.getResourceAsStream(ColorKernels.SOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyKernelTheJavaSideLaunchesIsDefined() throws IOException {
        String src = source();
        for (PixelFormat f : PixelFormat.values()) {
            for (Precision p : Precision.values()) {
                assertTrue(src.contains("YUV_TO_RGB(" + ColorKernels.yuvToRgbKernel(f, p) + ","), f + " " + p);
                assertTrue(src.contains("RGB_TO_YUV(" + ColorKernels.rgbToYuvKernel(p, f) + ","), f + " " + p);
            }
        }
    }

    /**
     * The arguments are passed in the kernels' parameter order: src, dst, width, height, pitch, then
     * the 12 floats of the YUV_COEFFICIENTS list, checked by name against YuvCoefficients' fields.
     */
    @Test
    void argumentsArePassedInTheKernelsParameterOrder() throws Exception {
        String src = source();
        for (String macro : new String[] {"YUV_TO_RGB", "RGB_TO_YUV"}) {
            Matcher signature = Pattern.compile("#define " + macro + "\\(.*?__global__ void NAME\\((.*?)\\)",
                    Pattern.DOTALL).matcher(src);
            assertTrue(signature.find(), macro);
            String params = signature.group(1).replaceAll("[\\\\\\s]+", " ");
            assertTrue(params.matches(".*\\* __restrict__ src, .*\\* __restrict__ dst, int width, int height, int pitch,"
                    + " YUV_COEFFICIENTS"), macro + " parameters: " + params);
        }
        Matcher m = Pattern.compile("#define YUV_COEFFICIENTS(.*?)\\n\\s*\\n", Pattern.DOTALL).matcher(src);
        assertTrue(m.find(), "YUV_COEFFICIENTS macro");
        List<String> names = new ArrayList<>();
        Matcher param = Pattern.compile("float\\s+(\\w+)").matcher(m.group(1));
        while (param.find()) {
            names.add(param.group(1));
        }
        assertEquals(12, names.size(), names.toString());
        YuvCoefficients k = YuvCoefficients.of(ColorSpec.of(ColorMatrix.BT2020, ColorRange.LIMITED), 10);
        try (KernelArgs args = ColorKernels.kernelArgs(0x1000, 0x2000, PixelFormat.P010, 35, 19, k)) {
            assertEquals(5 + 12, args.count());
            assertEquals(0x1000, new LongPointer(args.kernelParams().get(0)).get(0));
            assertEquals(0x2000, new LongPointer(args.kernelParams().get(1)).get(0));
            assertEquals(35, new IntPointer(args.kernelParams().get(2)).get(0));
            assertEquals(19, new IntPointer(args.kernelParams().get(3)).get(0));
            assertEquals(36, new IntPointer(args.kernelParams().get(4)).get(0), "pitch in samples");
            for (int i = 0; i < names.size(); i++) {
                float expected = YuvCoefficients.class.getField(names.get(i)).getFloat(k);
                float passed = new FloatPointer(args.kernelParams().get(5 + i)).get(0);
                assertEquals(expected, passed, "argument " + i + " (" + names.get(i) + ")");
            }
        }
    }

    @Test
    void badArgumentsAreRejectedBeforeAnyCudaCall() {
        YuvCoefficients k8 = YuvCoefficients.of(ColorSpec.of(ColorMatrix.BT709, ColorRange.LIMITED), 8);
        try (BucketedBufferPool device = fakePool(MemoryKind.DEVICE);
             BucketedBufferPool host = BucketedBufferPool.host("h");
             FrameBuffer frame = device.acquire(PixelFormat.NV12.frameBytes(34, 20));
             FrameBuffer tensor = device.acquire(Precision.FP32.tensorBytes(1, 20, 34));
             FrameBuffer hostTensor = host.acquire(Precision.FP32.tensorBytes(1, 20, 34))) {
            ColorKernels.checkArguments(frame, PixelFormat.NV12, 34, 20, k8, Precision.FP32, tensor, 0);
            assertThrows(IllegalArgumentException.class, () -> ColorKernels.checkArguments(frame, PixelFormat.NV12,
                    34, 20, k8, Precision.FP32, hostTensor, 0), "host tensor");
            assertThrows(IllegalArgumentException.class, () -> ColorKernels.checkArguments(frame, PixelFormat.P010,
                    34, 20, k8, Precision.FP32, tensor, 0), "8-bit coefficients for P010");
            assertThrows(IllegalArgumentException.class, () -> ColorKernels.checkArguments(frame, PixelFormat.NV12,
                    340, 200, k8, Precision.FP32, tensor, 0), "frame too small");
            assertThrows(IllegalArgumentException.class, () -> ColorKernels.checkArguments(frame, PixelFormat.NV12,
                    34, 20, k8, Precision.FP32, tensor, 4096), "tensor does not fit at offset");
            assertThrows(IllegalArgumentException.class, () -> ColorKernels.checkArguments(frame, PixelFormat.NV12,
                    34, 20, k8, Precision.FP32, tensor, 2), "misaligned offset");
        }
    }

    /** A pool of plain host memory that calls itself DEVICE, to test argument checks without a GPU. */
    static BucketedBufferPool fakePool(MemoryKind kind) {
        RawAllocator fake = new RawAllocator() {
            @Override
            public MemoryKind kind() {
                return kind;
            }

            @Override
            public long allocate(long bytes) {
                return org.bytedeco.javacpp.Pointer.malloc(bytes).address();
            }

            @Override
            public void free(long address) {
                org.bytedeco.javacpp.Pointer.free(new org.videoforge.memory.AddressPointer(address, 0));
            }
        };
        return new BucketedBufferPool("fake-" + kind, fake, MemoryBudget.unlimited("fake"));
    }
}
