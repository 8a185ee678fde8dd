package org.videoforge.inference;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.videoforge.model.OnnxGraph;
import org.videoforge.model.OnnxGraph.Node;

/**
 * The end of a model whose last step is a pixel shuffle: PyTorch's PixelShuffle (ONNX DepthToSpace,
 * mode CRD) of the tensor {@code body} by {@code scale}, plus, where {@code residual}, the model's
 * input upscaled by nearest neighbour, as Real-ESRGAN's SRVGGNetCompact models
 * (realesr-animevideov3, realesr-general-x4v3) end:
 * <pre>out[n, c, y s + i, x s + j] = body[n, c s² + i s + j, y, x] (+ in[n, c, y, x])</pre>
 * These steps only move and add values, so an engine can end at {@code body} and one kernel
 * ({@link org.videoforge.gpu.TensorKernels#pixelShuffle}) do the rest in one pass over the output, where
 * TensorRT spends a resize, four layout kernels and an add on them (about 1.1 ms of 9.3 for Compact
 * x4 at 1080p on an H200: docs/BENCHMARKS.md).
 */
public record PixelShuffleTail(String body, int scale, boolean residual) {
    /** Resize coordinate modes under which nearest neighbour at an integer scale reads in[y / s]. */
    private static final Set<String> HALF_PIXEL = Set.of("half_pixel", "pytorch_half_pixel");

    /** Channels of {@code body}: 3 s². */
    public int bodyChannels() {
        return 3 * scale * scale;
    }

    /**
     * The tail of {@code onnx}, if its one output is DepthToSpace(CRD) of a tensor, or that plus
     * Resize(nearest, constant scales [1, 1, s, s]) of its one input (Identity nodes in between are
     * looked through). Empty for any other ending, including forms whose meaning this cannot check
     * (sizes computed at run time, other rounding modes): such models keep their whole graph.
     */
    public static Optional<PixelShuffleTail> find(byte[] onnx) {
        OnnxGraph g = OnnxGraph.read(onnx);
        if (g.inputs().size() != 1 || g.outputs().size() != 1) {
            return Optional.empty();
        }
        String input = g.inputs().get(0);
        Optional<Node> last = producer(g, g.outputs().get(0));
        if (last.isEmpty()) {
            return Optional.empty();
        }
        Node end = last.get();
        if (end.opType().equals("DepthToSpace")) {
            return shuffle(end, input).map(s -> new PixelShuffleTail(s.inputs().get(0), blockSize(s), false));
        }
        if (!end.opType().equals("Add") || end.inputs().size() != 2) {
            return Optional.empty();
        }
        for (int k = 0; k < 2; k++) {
            Optional<Node> shuffle = producer(g, end.inputs().get(k)).flatMap(n -> shuffle(n, input));
            Optional<Node> upscale = producer(g, end.inputs().get(1 - k));
            if (shuffle.isPresent() && upscale.isPresent()
                    && isNearestUpscaleOf(g, upscale.get(), input, blockSize(shuffle.get()))) {
                return Optional.of(new PixelShuffleTail(shuffle.get().inputs().get(0), blockSize(shuffle.get()), true));
            }
        }
        return Optional.empty();
    }

    /** {@code n} if it is a DepthToSpace in CRD order (ONNX's default is DCR) of a computed tensor. */
    private static Optional<Node> shuffle(Node n, String input) {
        boolean crd = n.opType().equals("DepthToSpace") && n.string("mode", "DCR").equals("CRD");
        return crd && blockSize(n) >= 2 && !n.inputs().get(0).equals(input) ? Optional.of(n) : Optional.empty();
    }

    private static int blockSize(Node depthToSpace) {
        return (int) depthToSpace.attribute("blocksize").map(OnnxGraph.Attribute::i).orElse(0L).longValue();
    }

    /** True if {@code n} is a nearest-neighbour Resize of {@code input} by {@code scale} in H and W. */
    private static boolean isNearestUpscaleOf(OnnxGraph g, Node n, String input, int scale) {
        if (!n.opType().equals("Resize") || !through(g, n.inputs().get(0)).equals(input)
                || !n.string("mode", "nearest").equals("nearest")) {
            return false;
        }
        String coordinates = n.string("coordinate_transformation_mode", "half_pixel");
        boolean readsFloor = HALF_PIXEL.contains(coordinates)
                || (coordinates.equals("asymmetric") && n.string("nearest_mode", "round_prefer_floor").equals("floor"));
        List<String> in = n.inputs();
        boolean sizesGiven = in.size() > 3 && !in.get(3).isEmpty();
        String scales = in.size() == 2 ? in.get(1) : in.size() > 2 ? in.get(2) : ""; // opset 10: (X, scales)
        if (!readsFloor || sizesGiven || scales.isEmpty()) {
            return false;
        }
        float[] want = {1, 1, scale, scale};
        return g.constant(scales).flatMap(OnnxGraph.Tensor::floats).map(f -> Arrays.equals(f, want)).orElse(false);
    }

    /** The node computing {@code tensor}, looking through Identity nodes. */
    private static Optional<Node> producer(OnnxGraph g, String tensor) {
        return g.producer(through(g, tensor));
    }

    /** {@code tensor} with Identity nodes in front of it looked through. */
    private static String through(OnnxGraph g, String tensor) {
        Optional<Node> n = g.producer(tensor);
        while (n.isPresent() && n.get().opType().equals("Identity")) {
            tensor = n.get().inputs().get(0);
            n = g.producer(tensor);
        }
        return tensor;
    }
}
