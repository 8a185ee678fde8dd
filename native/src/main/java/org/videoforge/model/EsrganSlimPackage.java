package org.videoforge.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;

/**
 * The npm package @upscalerjs/esrgan-slim 1.0.0 (MIT, Kevin Scott): four trained RDN models,
 * x2/x3/x4/x8, as TF.js layers-models under models/x&lt;scale&gt;/. The package's model definition
 * (architecture "rdn") gives input and output ranges of [0, 255], NHWC.
 */
public final class EsrganSlimPackage {
    public static final String NPM_SPEC = "@upscalerjs/esrgan-slim@1.0.0";
    /** The file name {@code npm pack NPM_SPEC} writes. */
    public static final String TARBALL = "upscalerjs-esrgan-slim-1.0.0.tgz";
    public static final List<Integer> SCALES = List.of(2, 3, 4, 8);
    public static final float PIXEL_RANGE = 255f;

    private final Map<String, byte[]> files;

    private EsrganSlimPackage(Map<String, byte[]> files) {
        this.files = files;
    }

    /** Reads the model files of the npm tarball (paths relative to its package/ folder). */
    public static EsrganSlimPackage read(Path tgz) {
        Map<String, byte[]> files = new HashMap<>();
        try (InputStream raw = Files.newInputStream(tgz);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String path = e.getName().replaceFirst("^package/", "");
                if (e.isFile() && path.startsWith("models/")) {
                    files.put(path, tar.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new EngineError(ErrorCode.MODEL_NOT_FOUND, "cannot read " + tgz + ": " + e.getMessage(), e);
        }
        return new EsrganSlimPackage(files);
    }

    /** The bundled-model name of one scale, e.g. "esrgan-slim-x2". */
    public static String modelName(int scale) {
        return "esrgan-slim-x" + scale;
    }

    /** A file of the package, e.g. "models/x2/model.json". */
    public byte[] file(String path) {
        byte[] data = files.get(path);
        if (data == null) {
            throw new EngineError(ErrorCode.MODEL_NOT_FOUND, NPM_SPEC + " has no " + path);
        }
        return data;
    }

    public TfjsLayersModel model(int scale) {
        String dir = "models/x" + scale + "/";
        return TfjsLayersModel.parse(file(dir + "model.json"), shard -> files.get(dir + shard));
    }

    /** The x{@code scale} model as ONNX with the engine's contract ([0,1] NCHW in and out). */
    public byte[] toOnnx(int scale, Precision precision) {
        return TfjsLayersConverter.convert(model(scale), modelName(scale), precision, PIXEL_RANGE, PIXEL_RANGE);
    }
}
