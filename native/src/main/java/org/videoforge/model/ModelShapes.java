package org.videoforge.model;

import org.videoforge.model.OnnxGraphBuilder.Dim;

/** The engine's model contract: one NCHW RGB tensor in, one out, batch and size dynamic. */
final class ModelShapes {
    static final String INPUT = "input";
    static final String OUTPUT = "output";

    private ModelShapes() {
    }

    static Dim[] inputDims() {
        return new Dim[] {Dim.param("N"), Dim.of(3), Dim.param("H"), Dim.param("W")};
    }

    static Dim[] outputDims() {
        return new Dim[] {Dim.param("N"), Dim.of(3), Dim.param("H_out"), Dim.param("W_out")};
    }
}
