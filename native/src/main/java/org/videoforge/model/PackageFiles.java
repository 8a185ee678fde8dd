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
 * The files of one {@link ModelPackage} npm tarball that matter here: models/ (TF.js model.json
 * files with their weight shards, Keras .h5 files) and assets/ (the fixture and the package's
 * published outputs).
 */
public final class PackageFiles {
    private final ModelPackage pkg;
    private final Map<String, byte[]> files;

    private PackageFiles(ModelPackage pkg, Map<String, byte[]> files) {
        this.pkg = pkg;
        this.files = files;
    }

    /** Reads the models/ and assets/ files of the npm tarball (paths relative to its package/ folder). */
    public static PackageFiles read(ModelPackage pkg, Path tgz) {
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
        return new PackageFiles(pkg, files);
    }

    public ModelPackage pkg() {
        return pkg;
    }

    /** Whether the package has a file, e.g. "assets/samples/8x/result.png". */
    public boolean has(String path) {
        return files.containsKey(path);
    }

    /** A file of the package, e.g. "models/x2/model.json". */
    public byte[] file(String path) {
        byte[] data = files.get(path);
        if (data == null) {
            throw new EngineError(ErrorCode.MODEL_NOT_FOUND, pkg.npmSpec() + " has no " + path);
        }
        return data;
    }

    /** The Keras model at {@code path}: a Keras .h5 file, or a TF.js model.json with its shards beside it. */
    public TfjsLayersModel model(String path) {
        if (path.endsWith(".h5")) {
            return KerasHdf5.read(file(path));
        }
        String dir = path.substring(0, path.lastIndexOf('/') + 1);
        return TfjsLayersModel.parse(file(path), shard -> files.get(dir + shard));
    }

    /** {@code model} as ONNX with the engine's contract ([0,1] NCHW in and out); an int8 model with its Q/DQ. */
    public byte[] toOnnx(BundledModel model, Precision precision) {
        OnnxGraphBuilder graph = new OnnxGraphBuilder(model.name(), precision);
        model.calibration().ifPresent(c -> graph.quantizeConvs(c.inputRanges(), c.keepFloat()));
        return toOnnx(model, graph);
    }

    /** As above, written into {@code graph} (e.g. one set to tap or int8-quantize its convolutions). */
    public byte[] toOnnx(BundledModel model, OnnxGraphBuilder graph) {
        if (model.pkg() != pkg) {
            throw new IllegalArgumentException(model.name() + " is not in " + pkg.npmSpec());
        }
        return TfjsLayersConverter.convert(model(model.path()), graph, model.pixelRange(), model.pixelRange());
    }
}
