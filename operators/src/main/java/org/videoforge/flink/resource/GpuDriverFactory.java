package org.videoforge.flink.resource;

import org.apache.flink.api.common.externalresource.ExternalResourceDriver;
import org.apache.flink.api.common.externalresource.ExternalResourceDriverFactory;
import org.apache.flink.configuration.Configuration;

/**
 * The factory Flink instantiates for {@code external-resource.gpu.driver-factory.class}. Flink's own
 * GPU driver (flink-external-resource-gpu) is not published for 2.x and shells out to nvidia-smi;
 * this one asks the CUDA driver through the JNI bindings the job already uses. Flink loads driver
 * factories only from plugins: the operators module builds the self-contained plugin jar
 * ({@code videoforge-operators-<version>-gpu-plugin.jar}) for {@code $FLINK_HOME/plugins/videoforge-gpu/}.
 */
public final class GpuDriverFactory implements ExternalResourceDriverFactory {
    @Override
    public ExternalResourceDriver createExternalResourceDriver(Configuration config) {
        return new GpuDriver(new CudaDeviceCounter());
    }
}
