package org.videoforge.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.videoforge.frame.Precision;
import org.videoforge.inference.TestTensors;
import org.videoforge.testing.FfmpegCli;

/**
 * Issue 14's low-precision gate, measured on the CPU before any GPU time is spent: how far int8
 * convolutions move a bundled (trained) model's output from FP32 on real footage. The model is
 * converted twice more from its npm package: once with every convolution's input tapped
 * ({@link OnnxGraphBuilder#tapConvInputs}) to calibrate on frames of the footage, once with explicit
 * int8 Q/DQ on every convolution ({@link OnnxGraphBuilder#quantizeConvs}: what TensorRT builds int8
 * kernels from). ONNX Runtime CPU then runs FP32, FP16 and int8 on other frames of the same footage
 * and the table gives each one's PSNR against FP32 (the gate: int8 ships only at 40 dB or
 * more from FP16; FP16 is itself 72-75 dB from FP32 on these models, so FP32 stands in for it).
 *
 * <p>Calibration: per tensor, the largest magnitude seen ("max"), the 99.99th percentile of the
 * magnitudes ("p99.99", clipping the rare outliers to give the bulk finer steps), or the fraction of
 * the largest with the least squared int8 error on the sampled magnitudes ("mse"), and mse with the
 * first and last convolution left in float. The graphs are FP32 between the convolutions: ONNX
 * Runtime CPU's FP16 Q/DQ kernels (opset 19) do not reproduce its FP32 ones (8 dB further from FP32
 * on a single convolution), so an FP16 int8 engine's fidelity is TensorRT's to measure. Results:
 * docs/BENCHMARKS.md, "Int8 against the 40 dB gate".
 *
 * <p>{@code Int8QuantizationStudy NPM_DIR OUT.tsv MODEL[,MODEL...] CROP FRAMES VIDEO...}: NPM_DIR holds
 * the models' npm tarballs (native/target/npm after a build); from each VIDEO (read with Debian's
 * ffmpeg) the first 2 x FRAMES frames, centre-cropped to CROP x CROP, alternate between calibration
 * and evaluation.
 */
public final class Int8QuantizationStudy {
    private static final double PERCENTILE = 0.9999;
    private static final int SAMPLE_EVERY = 16; // percentile from every 16th magnitude: memory, not precision

    private Int8QuantizationStudy() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 6) {
            System.err.println("usage: Int8QuantizationStudy NPM_DIR OUT.tsv MODEL[,MODEL...] CROP FRAMES VIDEO...");
            System.exit(2);
        }
        Path npm = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int crop = Integer.parseInt(args[3]);
        int frames = Integer.parseInt(args[4]);
        List<float[]> calibration = new ArrayList<>();
        List<float[]> evaluation = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            List<float[]> f = frames(Path.of(args[i]), crop, 2 * frames, 1);
            for (int k = 0; k < f.size(); k++) {
                (k % 2 == 0 ? calibration : evaluation).add(f.get(k));
            }
        }
        StringBuilder tsv = new StringBuilder("model\tvariant\tframes\tpsnr_min_db\tpsnr_mean_db\n");
        for (String name : args[2].split(",")) {
            BundledModel model = NpmFixture.catalogued(name);
            PackageFiles pkg = PackageFiles.read(model.pkg(), npm.resolve(model.pkg().tarball()));
            long[] shape = {1, 3, crop, crop};
            Map<String, Float> max = new HashMap<>();
            Map<String, Float> percentile = new HashMap<>();
            Map<String, Float> mse = new HashMap<>();
            List<String> convs = calibrate(pkg, model, shape, calibration, max, percentile, mse);
            Set<String> ends = Set.of(convs.get(0), convs.get(convs.size() - 1));
            List<Variant> variants = List.of(
                    new Variant("fp16", Precision.FP16, pkg.toOnnx(model, Precision.FP16)),
                    int8(pkg, model, "int8 max", max, Set.of()),
                    int8(pkg, model, "int8 p99.99", percentile, Set.of()),
                    int8(pkg, model, "int8 mse", mse, Set.of()),
                    int8(pkg, model, "int8 mse, first and last conv float", mse, ends));
            List<float[]> reference = new ArrayList<>();
            try (OrtCpu fp32 = new OrtCpu(pkg.toOnnx(model, Precision.FP32))) {
                for (float[] frame : evaluation) {
                    reference.add(clamp(fp32.run(new OrtCpu.Tensor(shape, frame), Precision.FP32).data()));
                }
            }
            for (Variant v : variants) {
                double minDb = Double.POSITIVE_INFINITY;
                double sumDb = 0;
                try (OrtCpu ort = new OrtCpu(v.onnx())) {
                    for (int k = 0; k < evaluation.size(); k++) {
                        float[] y = clamp(ort.run(new OrtCpu.Tensor(shape, evaluation.get(k)), v.precision()).data());
                        double db = Math.min(TestTensors.psnr(reference.get(k), y), 200);
                        minDb = Math.min(minDb, db);
                        sumDb += db;
                    }
                }
                String row = String.format(Locale.ROOT, "%s\t%s\t%d\t%.2f\t%.2f", name, v.name(), evaluation.size(),
                        minDb, sumDb / evaluation.size());
                System.out.println(row);
                tsv.append(row).append('\n');
            }
        }
        Files.writeString(out, tsv);
    }

    /** One way of running the model: its name in the table, input/output precision, ONNX bytes. */
    private record Variant(String name, Precision precision, byte[] onnx) {
    }

    /** The FP32 model with int8 convolutions at {@code ranges}, those in {@code keepFloat} left float. */
    private static Variant int8(PackageFiles pkg, BundledModel model, String name, Map<String, Float> ranges,
                                Set<String> keepFloat) {
        return new Variant(name, Precision.FP32, pkg.toOnnx(model,
                new OnnxGraphBuilder(model.name(), Precision.FP32).quantizeConvs(ranges, keepFloat)));
    }

    /**
     * Per tapped convolution input, over the calibration frames: the largest magnitude, the
     * percentile, and the range (a fraction of the largest) whose int8 steps and clipping give the
     * sampled magnitudes the least squared error.
     */
    static List<String> calibrate(PackageFiles pkg, BundledModel model, long[] shape, List<float[]> frames,
                                          Map<String, Float> max, Map<String, Float> percentile,
                                          Map<String, Float> mse) {
        byte[] tapped = pkg.toOnnx(model, new OnnxGraphBuilder(model.name(), Precision.FP32).tapConvInputs());
        Map<String, List<float[]>> samples = new LinkedHashMap<>(); // convolutions in graph order
        try (OrtCpu ort = new OrtCpu(tapped)) {
            for (float[] frame : frames) {
                for (Map.Entry<String, OrtCpu.Tensor> e : ort.runAll(new OrtCpu.Tensor(shape, frame), Precision.FP32)
                        .entrySet()) {
                    if (!e.getKey().startsWith(OnnxGraphBuilder.TAP)) {
                        continue;
                    }
                    String conv = e.getKey().substring(OnnxGraphBuilder.TAP.length());
                    float[] v = e.getValue().data();
                    float m = 0;
                    float[] s = new float[(v.length + SAMPLE_EVERY - 1) / SAMPLE_EVERY];
                    for (int i = 0; i < v.length; i++) {
                        float a = Math.abs(v[i]);
                        m = Math.max(m, a);
                        if (i % SAMPLE_EVERY == 0) {
                            s[i / SAMPLE_EVERY] = a;
                        }
                    }
                    max.merge(conv, m, Math::max);
                    samples.computeIfAbsent(conv, k -> new ArrayList<>()).add(s);
                }
            }
        }
        for (Map.Entry<String, List<float[]>> e : samples.entrySet()) {
            float[] all = joined(e.getValue());
            Arrays.sort(all);
            percentile.put(e.getKey(), all[(int) Math.min(all.length - 1, Math.floor(PERCENTILE * all.length))]);
            mse.put(e.getKey(), leastSquaredErrorRange(all, max.get(e.getKey())));
        }
        return List.copyOf(samples.keySet());
    }

    /** Of the ranges max x 1.0, 0.95, ..., 0.2: the one with the least int8 error on {@code magnitudes}. */
    static float leastSquaredErrorRange(float[] magnitudes, float max) {
        float best = max;
        double bestError = Double.POSITIVE_INFINITY;
        for (int k = 0; k <= 16; k++) {
            float range = max * (1f - 0.05f * k);
            float step = Math.max(range, 1e-12f) / 127f;
            double error = 0;
            for (float a : magnitudes) {
                double d = a > range ? a - range : a - step * Math.round(a / step);
                error += d * d;
            }
            if (error < bestError) {
                bestError = error;
                best = range;
            }
        }
        return best;
    }

    /**
     * {@code count} frames of {@code video} (every {@code every}-th from the first), centre-cropped, as
     * NCHW RGB in [0, 1].
     */
    static List<float[]> frames(Path video, int crop, int count, int every) {
        List<float[]> out = new ArrayList<>();
        int plane = crop * crop;
        for (byte[] rgb : rgbFrames(video, crop, crop, count, every)) {
            float[] t = new float[3 * plane];
            for (int i = 0; i < plane; i++) {
                for (int c = 0; c < 3; c++) {
                    t[c * plane + i] = (rgb[3 * i + c] & 0xff) / 255f;
                }
            }
            out.add(t);
        }
        return out;
    }

    /**
     * {@code count} frames of {@code video} (every {@code every}-th from the first), centre-cropped to
     * {@code w} x {@code h}, as packed RGB24 (read with Debian's ffmpeg).
     */
    static List<byte[]> rgbFrames(Path video, int w, int h, int count, int every) {
        JsonNode v = FfmpegCli.stream(FfmpegCli.probe(video), "video");
        int vw = v.path("width").asInt();
        int vh = v.path("height").asInt();
        if (vw < w || vh < h) {
            throw new IllegalArgumentException(video + " is " + vw + "x" + vh + ", smaller than the crop " + w + "x" + h);
        }
        byte[] rgb = FfmpegCli.ffmpegStdout("-i", video.toString(), "-vf",
                (every > 1 ? "select=not(mod(n\\," + every + "))," : "") + "crop=" + w + ":" + h,
                "-fps_mode", "passthrough", "-frames:v", String.valueOf(count),
                "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
        int size = 3 * w * h;
        List<byte[]> out = new ArrayList<>();
        for (int f = 0; f < rgb.length / size; f++) {
            out.add(Arrays.copyOfRange(rgb, f * size, (f + 1) * size));
        }
        return out;
    }

    private static float[] clamp(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.min(1f, Math.max(0f, v[i]));
        }
        return out;
    }

    /** The arrays end to end, copied once (a pairwise reduce would copy the growing prefix per frame). */
    private static float[] joined(List<float[]> parts) {
        float[] out = new float[parts.stream().mapToInt(a -> a.length).sum()];
        int at = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }
}
