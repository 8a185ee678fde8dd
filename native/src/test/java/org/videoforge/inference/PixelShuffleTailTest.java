package org.videoforge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.model.ConvWeights;
import org.videoforge.model.OnnxGraph;
import org.videoforge.model.OnnxGraphBuilder;
import org.videoforge.model.OnnxGraphBuilder.Dim;
import org.videoforge.model.SrVggNetCompact;

/** Which model endings {@link PixelShuffleTail#find} takes apart, and the ones it must leave whole. */
class PixelShuffleTailTest {
    private static final Dim[] NCHW = {Dim.param("N"), Dim.of(3), Dim.param("H"), Dim.param("W")};

    @ParameterizedTest
    @CsvSource({"2, FP16", "4, FP16", "2, FP32", "4, FP32", "3, FP32"})
    void findsCompactsShuffleAndResidual(int scale, Precision p) {
        byte[] model = SrVggNetCompact.build(scale, p, 5);
        PixelShuffleTail tail = PixelShuffleTail.find(model).orElseThrow();
        assertEquals(scale, tail.scale());
        assertTrue(tail.residual());
        assertEquals(3 * scale * scale, tail.bodyChannels());
        assertEquals("body." + (2 * SrVggNetCompact.NUM_CONV + 2), tail.body(), "PyTorch's name of the last convolution");
        OnnxGraph g = OnnxGraph.read(model);
        assertEquals("Conv", g.producer(tail.body()).orElseThrow().opType(), "the body is the last convolution");
        assertEquals("DepthToSpace", g.consumers(tail.body()).get(0).opType());
    }

    @ParameterizedTest
    @EnumSource(value = SrVggNetCompact.Tail.class, names = "RESIZE", mode = EnumSource.Mode.EXCLUDE)
    void leavesTheOtherFormsOfCompactsTailWhole(SrVggNetCompact.Tail form) {
        assertEquals(Optional.empty(), PixelShuffleTail.find(SrVggNetCompact.build(2, Precision.FP16, 5, form)));
    }

    @Test
    void aShuffleAloneIsATailWithoutResidual() {
        OnnxGraphBuilder g = new OnnxGraphBuilder("shuffle", Precision.FP32);
        String x = g.input("input", NCHW);
        String body = g.conv("last", x, conv(12));
        g.output(g.depthToSpace(body, 2, "CRD"), "output", NCHW);
        assertEquals(Optional.of(new PixelShuffleTail(body, 2, false)), PixelShuffleTail.find(g.build()));
    }

    @Test
    void tensorFlowsChannelOrderIsNotPyTorchs() {
        OnnxGraphBuilder g = new OnnxGraphBuilder("dcr", Precision.FP32);
        String x = g.input("input", NCHW);
        g.output(g.add(g.depthToSpace(g.conv("last", x, conv(12)), 2, "DCR"), g.resizeNearest(x, 2, 2)), "output",
                NCHW);
        assertEquals(Optional.empty(), PixelShuffleTail.find(g.build()));
    }

    @Test
    void aResidualOfAnotherScaleOrTensorIsNotTheTail() {
        OnnxGraphBuilder other = new OnnxGraphBuilder("scales", Precision.FP32);
        String x = other.input("input", NCHW);
        other.output(other.add(other.depthToSpace(other.conv("last", x, conv(48)), 4, "CRD"),
                other.resizeNearest(x, 2, 2)), "output", NCHW);
        assertEquals(Optional.empty(), PixelShuffleTail.find(other.build()));

        OnnxGraphBuilder inner = new OnnxGraphBuilder("inner", Precision.FP32);
        String y = inner.input("input", NCHW);
        String features = inner.conv("first", y, conv(3));
        inner.output(inner.add(inner.depthToSpace(inner.conv("last", features, conv(12)), 2, "CRD"),
                inner.resizeNearest(features, 2, 2)), "output", NCHW);
        assertEquals(Optional.empty(), PixelShuffleTail.find(inner.build()), "the residual must be the model's input");
    }

    @Test
    void aModelEndingInAConvolutionHasNone() {
        OnnxGraphBuilder g = new OnnxGraphBuilder("resize-conv", Precision.FP16);
        String x = g.input("input", NCHW);
        g.output(g.conv("sr", g.resizeNearest(x, 2, 2), conv(3)), "output", NCHW);
        assertEquals(Optional.empty(), PixelShuffleTail.find(g.build()));
    }

    @Test
    void bytesThatAreNoModelAreModelInvalid() {
        EngineError e = assertThrows(EngineError.class, () -> PixelShuffleTail.find(new byte[] {(byte) 0xff, 1, 2}));
        assertEquals(ErrorCode.MODEL_INVALID, e.code());
    }

    @Test
    void theGraphReaderSeesTheResizesConstantScales() {
        OnnxGraph g = OnnxGraph.read(SrVggNetCompact.build(4, Precision.FP16, 5));
        OnnxGraph.Node resize = g.nodes().stream().filter(n -> n.opType().equals("Resize")).findFirst().orElseThrow();
        assertEquals("asymmetric", resize.string("coordinate_transformation_mode", "half_pixel"));
        assertEquals("floor", resize.string("nearest_mode", "round_prefer_floor"));
        float[] scales = g.constant(resize.inputs().get(2)).flatMap(OnnxGraph.Tensor::floats).orElseThrow();
        assertEquals("[1.0, 1.0, 4.0, 4.0]", Arrays.toString(scales));
        assertEquals(java.util.List.of("input"), g.inputs(), "initializers are not inputs");
    }

    private static ConvWeights conv(int out) {
        float[] w = new float[out * 3 * 9];
        Arrays.fill(w, 0.01f);
        return new ConvWeights(out, 3, 3, 3, w, new float[out]);
    }
}
