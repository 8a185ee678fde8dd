package org.videoforge.inference.tensorrt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import org.videoforge.frame.Precision;

/**
 * What a serialized TensorRT engine (a plan) depends on, and the cache file name made from it: the
 * SHA-256 of the ONNX model bytes, the GPU (name and compute capability), the TensorRT version that
 * built it, the precision, the optimization profile and the {@link EngineSettings} it was built
 * with. A plan is only valid for exactly these, so any change gives a new name, e.g.
 * {@code 3f2a9c01b7de-nvidia-h200-sm90-trt10.6.0-fp16-5c0e7a91d2b4.engine}.
 * The last part is a digest of every component in full (the profile and settings above all, which
 * the readable parts do not show), so truncated or slugged parts can never make two keys collide.
 */
public final class EngineCacheKey {
    /** Bump when the builder configuration changes in a way that should invalidate old plans. */
    static final int FORMAT = 2;
    private static final int GPU_SLUG_MAX = 40;

    private final String modelSha256;
    private final String gpuName;
    private final int computeCapability;
    private final String tensorRtVersion;
    private final Precision precision;
    private final ShapeProfile profile;
    private final EngineSettings settings;

    private EngineCacheKey(String modelSha256, String gpuName, int computeCapability, String tensorRtVersion,
                           Precision precision, ShapeProfile profile, EngineSettings settings) {
        this.modelSha256 = modelSha256;
        this.gpuName = gpuName;
        this.computeCapability = computeCapability;
        this.tensorRtVersion = tensorRtVersion;
        this.precision = precision;
        this.profile = profile;
        this.settings = settings;
    }

    /**
     * @param model             the ONNX bytes the engine is built from
     * @param gpuName           e.g. "NVIDIA H100 80GB HBM3"
     * @param computeCapability major * 10 + minor, e.g. 90
     * @param tensorRtVersion   of the library that builds the engine, e.g. "10.15.1"
     */
    public static EngineCacheKey of(byte[] model, String gpuName, int computeCapability, String tensorRtVersion,
                                    Precision precision, ShapeProfile profile) {
        return of(model, gpuName, computeCapability, tensorRtVersion, precision, profile, EngineSettings.DEFAULTS);
    }

    /** As above, for an engine built with {@code settings}. */
    public static EngineCacheKey of(byte[] model, String gpuName, int computeCapability, String tensorRtVersion,
                                    Precision precision, ShapeProfile profile, EngineSettings settings) {
        Objects.requireNonNull(model, "model");
        return ofModelDigest(sha256Hex(model), gpuName, computeCapability, tensorRtVersion, precision, profile,
                settings);
    }

    /** As {@link #of}, from the model's SHA-256 (64 hex digits) instead of its bytes. */
    public static EngineCacheKey ofModelDigest(String modelSha256, String gpuName, int computeCapability,
                                               String tensorRtVersion, Precision precision, ShapeProfile profile) {
        return ofModelDigest(modelSha256, gpuName, computeCapability, tensorRtVersion, precision, profile,
                EngineSettings.DEFAULTS);
    }

    /** As above, for an engine built with {@code settings}. */
    public static EngineCacheKey ofModelDigest(String modelSha256, String gpuName, int computeCapability,
                                               String tensorRtVersion, Precision precision, ShapeProfile profile,
                                               EngineSettings settings) {
        Objects.requireNonNull(modelSha256, "modelSha256");
        Objects.requireNonNull(gpuName, "gpuName");
        Objects.requireNonNull(tensorRtVersion, "tensorRtVersion");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(settings, "settings");
        String sha = modelSha256.toLowerCase(Locale.ROOT);
        if (!sha.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + modelSha256);
        }
        if (computeCapability <= 0) {
            throw new IllegalArgumentException("compute capability must be positive: " + computeCapability);
        }
        if (tensorRtVersion.isBlank()) {
            throw new IllegalArgumentException("TensorRT version is blank");
        }
        return new EngineCacheKey(sha, gpuName, computeCapability, tensorRtVersion, precision, profile, settings);
    }

    public String modelSha256() {
        return modelSha256;
    }

    public String gpuName() {
        return gpuName;
    }

    public int computeCapability() {
        return computeCapability;
    }

    public String tensorRtVersion() {
        return tensorRtVersion;
    }

    public Precision precision() {
        return precision;
    }

    public ShapeProfile profile() {
        return profile;
    }

    public EngineSettings settings() {
        return settings;
    }

    /** {@code <modelsha12>-<gpu-slug>-sm<cc>-trt<version>-<fp16|fp32>-<digest12>.engine}. */
    public String fileName() {
        return modelSha256.substring(0, 12) + "-" + slug(gpuName, GPU_SLUG_MAX) + "-sm" + computeCapability
                + "-trt" + slug(tensorRtVersion, 24).replace('-', '.') + "-"
                + precision.name().toLowerCase(Locale.ROOT) + "-" + digest().substring(0, 12) + ".engine";
    }

    /** Everything the plan depends on, as one line (also what {@link #fileName()}'s digest covers). */
    public String canonical() {
        return "format=" + FORMAT + ";model=" + modelSha256 + ";gpu=" + gpuName + ";sm=" + computeCapability
                + ";trt=" + tensorRtVersion + ";precision=" + precision + ";profile=" + profile.canonical()
                + ";build=" + settings.canonical();
    }

    private String digest() {
        return sha256Hex(canonical().getBytes(StandardCharsets.UTF_8));
    }

    /** Lower case, runs of anything but [a-z0-9.] become one '-', trimmed, at most {@code max} characters. */
    static String slug(String s, int max) {
        String lower = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("^-+|-+$", "");
        if (lower.length() > max) {
            lower = lower.substring(0, max).replaceAll("-+$", "");
        }
        return lower.isEmpty() ? "unknown" : lower;
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EngineCacheKey && canonical().equals(((EngineCacheKey) o).canonical());
    }

    @Override
    public int hashCode() {
        return canonical().hashCode();
    }

    @Override
    public String toString() {
        return fileName();
    }
}
