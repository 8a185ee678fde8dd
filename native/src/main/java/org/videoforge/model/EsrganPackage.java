package org.videoforge.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;

/**
 * The files of one {@link EsrganFamily} npm tarball that matter here: models/ (model.json and
 * weight shards per scale) and assets/ (the fixture and the package's published outputs).
 */
public final class EsrganPackage {
    private final EsrganFamily family;
    private final Map<String, byte[]> files;

    private EsrganPackage(EsrganFamily family, Map<String, byte[]> files) {
        this.family = family;
        this.files = files;
    }

    /** Reads the models/ and assets/ files of the npm tarball (paths relative to its package/ folder). */
    public static EsrganPackage read(EsrganFamily family, Path tgz) {
        Map<String, byte[]> files = new HashMap<>();
        try (InputStream raw = Files.newInputStream(tgz);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String path = e.getName().replaceFirst("^package/", "");
                if (e.isFile() && (path.startsWith("models/") || path.startsWith("assets/"))) {
                    files.put(path, tar.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new EngineError(ErrorCode.MODEL_NOT_FOUND, "cannot read " + tgz + ": " + e.getMessage(), e);
        }
        return new EsrganPackage(family, files);
    }

    public EsrganFamily family() {
        return family;
    }

    /** Whether the package has a file, e.g. "assets/samples/8x/result.png". */
    public boolean has(String path) {
        return files.containsKey(path);
    }

    /** A file of the package, e.g. "models/x2/model.json". */
    public byte[] file(String path) {
        byte[] data = files.get(path);
        if (data == null) {
            throw new EngineError(ErrorCode.MODEL_NOT_FOUND, family.npmSpec() + " has no " + path);
        }
        return data;
    }

    public TfjsLayersModel model(int scale) {
        String dir = "models/x" + scale + "/";
        return TfjsLayersModel.parse(file(dir + "model.json"), shard -> files.get(dir + shard));
    }

    /** The x{@code scale} model as ONNX with the engine's contract ([0,1] NCHW in and out). */
    public byte[] toOnnx(int scale, Precision precision) {
        return TfjsLayersConverter.convert(model(scale), family.modelName(scale), precision,
                family.pixelRange(), family.pixelRange());
    }
}
