package org.videoforge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.videoforge.model.BundledModels;

class ModelRefTest {

    @Test
    void theGpuBackendsDefaultToTheModelAboveBicubicAndTheCpuToTheFastest() {
        assertEquals(ModelRef.DEFAULT_BUNDLED, ModelRef.defaultFor(BackendKind.CPU));
        assertEquals(ModelRef.DEFAULT_GPU, ModelRef.defaultFor(BackendKind.CUDA));
        assertEquals(ModelRef.DEFAULT_GPU, ModelRef.defaultFor(BackendKind.TENSORRT));
        // both are bundled in the default build, at the same scale: a default never changes the output size
        assertEquals(Optional.of(2), BundledModels.scale(ModelRef.DEFAULT_BUNDLED));
        assertEquals(Optional.of(2), BundledModels.scale(ModelRef.DEFAULT_GPU));
        assertEquals(ModelRef.DEFAULT_BUNDLED, ModelRef.of(null).reference());
    }

    @Test
    void theStartUpNoteExplainsOnlyABackendsOwnDefault() {
        assertTrue(ModelRef.defaultNote(ModelRef.DEFAULT_BUNDLED, BackendKind.CPU).contains("-m " + ModelRef.DEFAULT_GPU));
        assertTrue(ModelRef.defaultNote(ModelRef.DEFAULT_GPU, BackendKind.CUDA).startsWith(" (the GPU default"));
        assertEquals("", ModelRef.defaultNote(ModelRef.DEFAULT_GPU, BackendKind.CPU));
        assertEquals("", ModelRef.defaultNote(ModelRef.DEFAULT_BUNDLED, BackendKind.TENSORRT));
        assertEquals("", ModelRef.defaultNote("esrgan-thick-x4", BackendKind.CUDA));
    }
}
