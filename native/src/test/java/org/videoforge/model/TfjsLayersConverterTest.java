package org.videoforge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;

class TfjsLayersConverterTest {

    /**
     * Every bundled model and esrgan-legacy's, converted and run on ORT CPU, equals a direct NHWC
     * evaluation of its Keras graph by {@link KerasReference} (independent code) within 1e-4 of the
     * [0,1] range. The reference reads TF.js files itself; for a Keras .h5 it gets the weights
     * jhdf read, which {@link #hdf5WeightsAreThoseThePublishedQuantizedModelWasMadeFrom} checks.
     */
    @ParameterizedTest
    @MethodSource("bundledModels")
    void matchesDirectKerasEvaluation(BundledModel model) throws IOException {
        PackageFiles pkg = NpmFixture.pkg(model.pkg());
        String path = model.path();
        String dir = path.substring(0, path.lastIndexOf('/') + 1);
        KerasReference keras;
        if (path.endsWith(".h5")) {
            TfjsLayersModel h5 = pkg.model(path);
            keras = new KerasReference(h5.modelConfig(), h5.weights());
        } else {
            keras = new KerasReference(pkg.file(path), shard -> pkg.file(dir + shard));
        }
        int scale = model.scale();
        int h = 12;
        int w = 10;
        OrtCpu.Tensor input = TestImages.random(h, w, 7);

        float range = model.pixelRange();
        float[] nhwc = new float[h * w * 3];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < h * w; p++) {
                nhwc[p * 3 + c] = input.data()[c * h * w + p] * range;
            }
        }
        KerasReference.Image ref = keras.run(new KerasReference.Image(h, w, 3, nhwc));
        assertEquals(h * scale, ref.h());
        assertEquals(w * scale, ref.w());

        OrtCpu.Tensor out;
        try (OrtCpu ort = new OrtCpu(pkg.toOnnx(model, Precision.FP32))) {
            out = ort.run(input, Precision.FP32);
        }
        assertArrayEquals(new long[] {1, 3, h * scale, w * scale}, out.shape());
        int oh = h * scale;
        int ow = w * scale;
        float maxDiff = 0;
        int interior = 0;
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < oh * ow; p++) {
                float expected = Math.min(1f, Math.max(0f, ref.data()[p * 3 + c] / range));
                float actual = out.data()[c * oh * ow + p];
                maxDiff = Math.max(maxDiff, Math.abs(expected - actual));
                if (expected > 0.01f && expected < 0.99f) {
                    interior++;
                }
            }
        }
        assertTrue(maxDiff < 1e-4f, model.name() + ": max |onnx - keras| = " + maxDiff);
        // the comparison is meaningful only if the clip did not flatten the image
        assertTrue(interior > 0.9 * 3 * oh * ow, "only " + interior + " unclipped values");
        // and a bundled model's output resembles its input, upscaled (esrgan-legacy's div2k and gans
        // models do not on this noise input: 0.11-0.14 off; the harness measures them on footage)
        double offInput = TestImages.meanAbsDiff(out.data(), TestImages.nearest(input, scale));
        System.out.printf("%s: mean |output - nearest input| %.3f%n", model.name(), offInput);
        if (model.pkg() != ModelPackage.LEGACY) {
            assertTrue(offInput < 0.1, model.name() + ": mean |output - nearest input| " + offInput);
        }
    }

    /** Every float model; an int8 model is its float model, checked here, plus Q/DQ (BundledModelsTest). */
    static Stream<BundledModel> bundledModels() {
        return Stream.concat(BundledModels.all().stream().filter(m -> m.int8Calibration() == null),
                BundledModels.UNBUNDLED.stream().filter(m -> m.pkg() == ModelPackage.LEGACY));
    }

    /**
     * isr-psnr-small's weights as jhdf reads them from idealo's .h5 are the ones UpscalerJS
     * quantized into esrgan-legacy's psnr-small (whose conversion reproduces its published sample):
     * every value within half a quantization step of the uint8 copy, the same names and shapes.
     */
    @Test
    void hdf5WeightsAreThoseThePublishedQuantizedModelWasMadeFrom() throws IOException {
        BundledModel isr = NpmFixture.catalogued("isr-psnr-small-x2");
        Map<String, TfjsLayersModel.Weight> h5 = NpmFixture.pkg(ModelPackage.ISR).model(isr.path()).weights();
        PackageFiles legacy = NpmFixture.pkg(ModelPackage.LEGACY);
        Map<String, TfjsLayersModel.Weight> quantized = legacy.model("models/psnr-small/model.json").weights();
        JsonNode manifest = new ObjectMapper().readTree(legacy.file("models/psnr-small/model.json"))
                .path("weightsManifest").get(0).path("weights");
        assertEquals(quantized.keySet(), h5.keySet());
        assertEquals(96, manifest.size());
        for (JsonNode spec : manifest) {
            String name = spec.path("name").asText();
            double halfStep = spec.path("quantization").path("scale").asDouble() / 2;
            TfjsLayersModel.Weight a = h5.get(name);
            TfjsLayersModel.Weight b = quantized.get(name);
            assertArrayEquals(b.shape(), a.shape(), name);
            float max = TestImages.maxAbsDiff(a.values(), b.values());
            assertTrue(max <= halfStep * 1.0001 + 1e-7, name + ": " + max + " > half a step " + halfStep);
            assertTrue(TestImages.maxAbsDiff(a.values(), new float[a.values().length]) > 20 * halfStep,
                    name + " is too small for the check to mean anything");
        }
    }

    @Test
    void oneSessionServesDifferentSizes() {
        try (OrtCpu ort = new OrtCpu(NpmFixture.slim().toOnnx(NpmFixture.slim(2), Precision.FP32))) {
            assertEquals("input", ort.inputName());
            assertEquals("output", ort.outputName());
            assertArrayEquals(new long[] {1, 3, 16, 18}, ort.run(TestImages.random(8, 9, 1), Precision.FP32).shape());
            assertArrayEquals(new long[] {1, 3, 10, 26}, ort.run(TestImages.random(5, 13, 2), Precision.FP32).shape());
        }
    }

    @Test
    void bundledModelsUseOnlyConvertedLayerClasses() {
        Set<String> classes = new TreeSet<>();
        for (BundledModel m : bundledModels().toList()) {
            NpmFixture.pkg(m.pkg()).model(m.path()).modelConfig().path("config").path("layers")
                    .forEach(l -> classes.add(l.path("class_name").asText()));
        }
        Set<String> converted = new TreeSet<>(Set.of("Activation", "Add", "Concatenate", "Conv2D", "InputLayer",
                "UpSampling2D", "MultiplyBeta", "PixelShuffle2x", "PixelShuffle4x"));
        assertTrue(converted.containsAll(classes), classes.toString());
    }

    /**
     * The RRDN layers of esrgan-thick (MultiplyBeta, PixelShuffle) in a small generated model,
     * against {@link KerasReference}, also where a build leaves thick out.
     */
    @Test
    void rrdnLayersMatchTheReference() throws IOException {
        SyntheticRrdn rrdn = new SyntheticRrdn(11);
        TfjsLayersModel model = TfjsLayersModel.parse(rrdn.modelJson(), shard -> rrdn.weights());
        KerasReference keras = new KerasReference(rrdn.modelJson(), shard -> rrdn.weights());
        int h = 7;
        int w = 5;
        OrtCpu.Tensor input = TestImages.random(h, w, 3);
        float[] nhwc = new float[h * w * 3];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < h * w; p++) {
                nhwc[p * 3 + c] = input.data()[c * h * w + p];
            }
        }
        KerasReference.Image ref = keras.run(new KerasReference.Image(h, w, 3, nhwc));
        OrtCpu.Tensor out;
        try (OrtCpu ort = new OrtCpu(TfjsLayersConverter.convert(model, "rrdn", Precision.FP32, 1, 1))) {
            out = ort.run(input, Precision.FP32);
        }
        assertArrayEquals(new long[] {1, 3, 2 * h, 2 * w}, out.shape());
        float maxDiff = 0;
        int interior = 0;
        int n = 4 * h * w;
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < n; p++) {
                float expected = Math.min(1f, Math.max(0f, ref.data()[p * 3 + c]));
                maxDiff = Math.max(maxDiff, Math.abs(expected - out.data()[c * n + p]));
                interior += expected > 0.01f && expected < 0.99f ? 1 : 0;
            }
        }
        assertTrue(maxDiff < 1e-5f, "max |onnx - keras| = " + maxDiff);
        assertTrue(interior > 0.9 * 3 * n, "only " + interior + " unclipped values");
    }

    @Test
    void multiplyBetaOtherThanUpscalerJsIsModelInvalid() throws IOException {
        SyntheticRrdn rrdn = new SyntheticRrdn(1);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(rrdn.modelJson());
        for (var layer : root.path("modelTopology").path("model_config").path("config").path("layers")) {
            if (layer.path("class_name").asText().equals("MultiplyBeta")) {
                ((ObjectNode) layer.path("config")).put("beta", 0.5);
            }
        }
        TfjsLayersModel model = TfjsLayersModel.parse(json.writeValueAsBytes(root), shard -> rrdn.weights());
        EngineError e = assertThrows(EngineError.class,
                () -> TfjsLayersConverter.convert(model, "t", Precision.FP32, 1, 1));
        assertEquals(ErrorCode.MODEL_INVALID, e.code());
    }

    @Test
    void unknownLayerClassIsModelInvalid() throws IOException {
        PackageFiles pkg = NpmFixture.slim();
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(pkg.file("models/x2/model.json"));
        ObjectNode layer = (ObjectNode) root.path("modelTopology").path("model_config").path("config").path("layers").get(3);
        layer.put("class_name", "SpaceToDepth2x");
        TfjsLayersModel model = TfjsLayersModel.parse(json.writeValueAsBytes(root),
                shard -> pkg.file("models/x2/" + shard));
        EngineError e = assertThrows(EngineError.class,
                () -> TfjsLayersConverter.convert(model, "t", Precision.FP32, 255, 255));
        assertEquals(ErrorCode.MODEL_INVALID, e.code());
        assertTrue(e.getMessage().contains("SpaceToDepth2x"), e.getMessage());
    }

    @Test
    void missingWeightsAreModelInvalid() {
        PackageFiles pkg = NpmFixture.slim();
        byte[] bin = pkg.file("models/x2/group1-shard1of1.bin");
        EngineError e = assertThrows(EngineError.class, () -> TfjsLayersModel.parse(pkg.file("models/x2/model.json"),
                shard -> java.util.Arrays.copyOf(bin, bin.length - 4)));
        assertEquals(ErrorCode.MODEL_INVALID, e.code());
    }

    @Test
    void layoutIsNchwWithWeightsInThePrecision() {
        for (Precision p : Precision.values()) {
            OnnxModelReader m = OnnxModelReader.read(NpmFixture.slim().toOnnx(NpmFixture.slim(4), p));
            int type = p == Precision.FP16 ? 10 : 1;
            assertEquals(List.of("N", "3", "H", "W"), m.inputs.get(0).dims());
            assertEquals(type, m.inputs.get(0).elemType());
            assertEquals(type, m.outputs.get(0).elemType());
            OnnxModelReader.Initializer first = m.initializers.stream()
                    .filter(i -> i.name().equals("F_m1.weight")).findFirst().orElseThrow();
            assertArrayEquals(new long[] {64, 3, 3, 3}, first.dims()); // OIHW, from HWIO [3,3,3,64]
            assertEquals(type, first.dataType());
            assertEquals(64 * 27 * p.bytes(), first.rawBytes());
            // every trained weight is carried over
            long weights = m.initializers.stream().filter(i -> i.name().endsWith(".weight") || i.name().endsWith(".bias"))
                    .mapToLong(OnnxModelReader.Initializer::elements).sum();
            long trained = NpmFixture.slim().model("models/x4/model.json").weights().values().stream()
                    .mapToLong(w -> w.values().length).sum();
            assertEquals(trained, weights);
        }
    }

    @Test
    void fp16ModelAgreesWithFp32() {
        OrtCpu.Tensor input = TestImages.random(16, 12, 3);
        OrtCpu.Tensor fp32;
        OrtCpu.Tensor fp16;
        try (OrtCpu ort = new OrtCpu(NpmFixture.slim().toOnnx(NpmFixture.slim(2), Precision.FP32))) {
            fp32 = ort.run(input, Precision.FP32);
        }
        try (OrtCpu ort = new OrtCpu(NpmFixture.slim().toOnnx(NpmFixture.slim(2), Precision.FP16))) {
            fp16 = ort.run(input, Precision.FP16);
        }
        assertArrayEquals(fp32.shape(), fp16.shape());
        float max = TestImages.maxAbsDiff(fp32.data(), fp16.data());
        double mean = TestImages.meanAbsDiff(fp32.data(), fp16.data());
        assertTrue(max < 5e-3 && mean < 5e-4, "fp16 vs fp32: max " + max + ", mean " + mean);
    }
}
