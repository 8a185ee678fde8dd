package org.videoforge.flink.resource;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;

/**
 * One GPU of a TaskManager, as operators see it through
 * {@code RuntimeContext.getExternalResourceInfos("gpu")}: the property {@value #INDEX} is its CUDA
 * device index, the same key Flink's own GPU driver uses (and {@code FrameDevices.gpuIndex} reads).
 */
public final class GpuInfo implements ExternalResourceInfo {
    public static final String INDEX = "index";

    private final int index;

    public GpuInfo(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("GPU index must be >= 0: " + index);
        }
        this.index = index;
    }

    @Override
    public Optional<String> getProperty(String key) {
        return INDEX.equals(key) ? Optional.of(String.valueOf(index)) : Optional.empty();
    }

    @Override
    public Collection<String> getKeys() {
        return List.of(INDEX);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GpuInfo && ((GpuInfo) o).index == index;
    }

    @Override
    public int hashCode() {
        return index;
    }

    @Override
    public String toString() {
        return "GPU " + index;
    }
}
