package org.videoforge.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.videoforge.frame.Precision;

/**
 * Issue 14's low-precision gate on TensorRT, the half made on the CPU: calibrates each bundled model
 * on real footage as {@link Int8QuantizationStudy} does (ONNX Runtime CPU, FP32, centre crops) and
 * writes what the GPU host needs to judge int8 and FP8 engines there
 * ({@code org.videoforge.bench.TensorRtQuantizedFidelity}),
 * where neither the npm packages nor ffmpeg are:
 * <pre>
 * OUT_DIR/frames/CLIP-K.rgb       evaluation frames, packed RGB24, EVAL_W x EVAL_H (frames.txt: "W H")
 * OUT_DIR/models/MODEL/fp16.onnx  the reference: the model in FP16, as the GPU runs it today
 * OUT_DIR/models/MODEL/int8-*.onnx the same FP16 graph with int8 Q/DQ convolutions (opset 19), one per
 *                                 calibration: max, mse, mse with the first and last convolution float
 * OUT_DIR/models/MODEL/int8-mse-ends-float.int8-ranges.tsv  that variant's {@link Int8Calibration}
 * OUT_DIR/models/MODEL/fp8-max.onnx with FP8 E4M3 Q/DQ convolutions, max ranges (E4M3's steps grow with
 *                                 the value, so clipping buys little)
 * </pre>
 * Calibration frames are the even ones of every {@code EVERY}-th frame of each clip; evaluation frames
 * the odd ones, from the clips at least EVAL_W x EVAL_H.
 *
 * <p>{@code QuantizedModelSet NPM_DIR OUT_DIR MODEL[,MODEL...] CROP FRAMES EVAL_WxH EVERY VIDEO...}
 */
public final class QuantizedModelSet {
    private QuantizedModelSet() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 8) {
            System.err.println(
                    "usage: QuantizedModelSet NPM_DIR OUT_DIR MODEL[,MODEL...] CROP FRAMES EVAL_WxH EVERY VIDEO...");
            System.exit(2);
        }
        Path npm = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int crop = Integer.parseInt(args[3]);
        int frames = Integer.parseInt(args[4]);
        String[] size = args[5].split("x");
        int w = Integer.parseInt(size[0]);
        int h = Integer.parseInt(size[1]);
        int every = Integer.parseInt(args[6]);
        List<float[]> calibration = new ArrayList<>();
        List<String> videos = new ArrayList<>();
        Files.createDirectories(out.resolve("frames"));
        Files.writeString(out.resolve("frames.txt"), w + " " + h + "\n");
        for (int i = 7; i < args.length; i++) {
            Path video = Path.of(args[i]);
            String clip = video.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            videos.add(video.getFileName().toString());
            // Every EVERY-th frame: even ones calibrate, odd ones evaluate.
            List<float[]> crops = Int8QuantizationStudy.frames(video, crop, 2 * frames, every);
            for (int k = 0; k < crops.size(); k += 2) {
                calibration.add(crops.get(k));
            }
            List<byte[]> eval;
            try {
                eval = Int8QuantizationStudy.rgbFrames(video, w, h, 2 * frames, every);
            } catch (IllegalArgumentException smaller) {
                System.out.println(clip + ": calibration only (" + smaller.getMessage() + ")");
                continue;
            }
            for (int k = 1; k < eval.size(); k += 2) {
                Files.write(out.resolve("frames").resolve(String.format("%s-%03d.rgb", clip, k * every)), eval.get(k));
            }
        }
        for (String name : args[2].split(",")) {
            BundledModel model = NpmFixture.catalogued(name);
            PackageFiles pkg = PackageFiles.read(model.pkg(), npm.resolve(model.pkg().tarball()));
            Map<String, Float> max = new HashMap<>();
            Map<String, Float> percentile = new HashMap<>();
            Map<String, Float> mse = new HashMap<>();
            List<String> convs = Int8QuantizationStudy.calibrate(pkg, model, new long[] {1, 3, crop, crop}, calibration,
                    max, percentile, mse);
            Path dir = Files.createDirectories(out.resolve("models").resolve(name));
            Files.write(dir.resolve("fp16.onnx"), pkg.toOnnx(model, Precision.FP16));
            Files.write(dir.resolve("int8-max.onnx"), int8(pkg, model, max, Set.of()));
            Files.write(dir.resolve("int8-mse.onnx"), int8(pkg, model, mse, Set.of()));
            Int8Calibration endsFloat = new Int8Calibration(mse, Set.of(convs.get(0), convs.get(convs.size() - 1)));
            Files.write(dir.resolve("int8-mse-ends-float.onnx"), int8(pkg, model, endsFloat.inputRanges(),
                    endsFloat.keepFloat()));
            // What a bundled int8 model ships (BundledModel.int8): the ranges, with where they came from.
            Files.writeString(dir.resolve("int8-mse-ends-float.int8-ranges.tsv"), endsFloat.toTsv(String.format(
                    "%s: int8 input ranges (least squared error of %d steps) and float convolutions (first, last),%n"
                            + "calibrated by QuantizedModelSet on %d frames (%dx%d centre crops, every %d-th frame)"
                            + " of %s",
                    name, 127, calibration.size(), crop, crop, every, videos), convs));
            Files.write(dir.resolve("fp8-max.onnx"), pkg.toOnnx(model, new OnnxGraphBuilder(model.name(),
                    Precision.FP16).quantizeConvs(max, Set.of(), OnnxGraphBuilder.Quantized.FP8_E4M3)));
            System.out.println(name + ": " + convs.size() + " convolutions calibrated on " + calibration.size()
                    + " frames -> " + dir);
        }
    }

    private static byte[] int8(PackageFiles pkg, BundledModel model, Map<String, Float> ranges, Set<String> keepFloat) {
        return pkg.toOnnx(model, new OnnxGraphBuilder(model.name(), Precision.FP16).quantizeConvs(ranges, keepFloat));
    }
}
