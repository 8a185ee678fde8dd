# syntax=docker/dockerfile:1
# The VideoForge Flink image: Flink's official image, the job jar in usrlib/ (application mode), the
# Kafka connector in lib/, the Prometheus reporter and our GPU driver in plugins/, and for the gpu
# variant the CUDA runtime libraries (and optionally TensorRT). Runs as Flink's non-root user.
#
# Build after the Maven build (the jars come from target/):
#   mvn -DskipTests install
#   docker build -t videoforge/videoforge-flink:0.1.0-SNAPSHOT .                                # gpu (default)
#   docker build --build-arg VARIANT=cpu -t videoforge/videoforge-flink:0.1.0-SNAPSHOT-cpu .    # kind / no GPU
#
# Build arguments:
#   VARIANT            gpu (CUDA libraries, ONNX Runtime's GPU natives) or cpu.              default gpu
#   FLINK_IMAGE        the base image; its Flink must be FLINK_VERSION.                     default flink:2.2.1-java17
#   FLINK_VERSION      Flink release of the Prometheus reporter plugin (= flink.version in pom.xml).
#   KAFKA_CONNECTOR_VERSION  flink-connector-kafka release (= flink-connector-kafka.version in job/pom.xml).
#   ORT_VERSION        org.bytedeco:onnxruntime version whose linux-x86_64-gpu natives replace the job
#                      jar's CPU natives in the gpu variant (= onnxruntime.version in pom.xml).
#   CUDA_IMAGE         where the CUDA 13 runtime, cuBLAS, cuFFT, cuRAND, NVRTC and cuDNN 9 come from.
#   WITH_TENSORRT      true: also carry TensorRT for --backend tensorrt: the libraries of the Maven
#                      redistributable (TENSORRT_VERSION's linux-x86_64-redist jar, 1.09 GB: libnvinfer, its
#                      all-architecture builder resource, the ONNX parser, the plugins), the TensorRT the
#                      bindings were built and checked against; 1.7 GB more in the image.      default false
#   TENSORRT_VERSION   org.bytedeco:tensorrt version (= tensorrt.version in pom.xml).
#   MAVEN_IMAGE        the image that fetches jars from Maven Central in the build.
ARG FLINK_IMAGE=flink:2.2.1-java17
ARG CUDA_IMAGE=nvidia/cuda:13.0.2-cudnn-runtime-ubuntu22.04
ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG VARIANT=gpu

# --- Jars from Maven Central: the Kafka connector (+ what it needs beyond Flink's lib/), the
#     Prometheus reporter, ONNX Runtime's GPU natives. Same selection as the README's standalone setup.
FROM ${MAVEN_IMAGE} AS jars
ARG FLINK_VERSION=2.2.1
ARG KAFKA_CONNECTOR_VERSION=5.0.0-2.2
ARG ORT_VERSION=1.24.1-1.5.13
ARG WITH_TENSORRT=false
ARG TENSORRT_VERSION=10.6-1.5.11
COPY job/src/test/flink-lib/pom.xml /build/flink-lib/pom.xml
RUN mvn -B -q -f /build/flink-lib/pom.xml dependency:copy-dependencies -DoutputDirectory=/out/lib \
      -Dflink.version=${FLINK_VERSION} -Dflink-connector-kafka.version=${KAFKA_CONNECTOR_VERSION} \
      -DincludeArtifactIds=flink-connector-kafka,kafka-clients,zstd-jni,jackson-core,jackson-databind,jackson-annotations,jackson-datatype-jdk8,jackson-datatype-jsr310 \
 && mvn -B -q dependency:copy -Dartifact=org.apache.flink:flink-metrics-prometheus:${FLINK_VERSION} \
      -DoutputDirectory=/out/plugins/metrics-prometheus \
 && mvn -B -q dependency:copy -Dartifact=org.bytedeco:onnxruntime:${ORT_VERSION}:jar:linux-x86_64-gpu \
      -DoutputDirectory=/out/ort-gpu \
 && mkdir -p /out/tensorrt \
 && if [ "${WITH_TENSORRT}" = true ]; then \
      mvn -B -q dependency:copy -Dartifact=org.bytedeco:tensorrt:${TENSORRT_VERSION}:jar:linux-x86_64-redist \
        -DoutputDirectory=/tmp/trt \
      && cd /out/tensorrt && jar xf /tmp/trt/*.jar org/bytedeco/tensorrt/linux-x86_64/ && rm -rf /tmp/trt; \
    fi

# --- The job jar: as built, or (gpu) without ONNX Runtime's CPU natives, so that JavaCPP loads the
#     GPU natives of the jar beside it (docs/GPU-BUNDLE.md: "Native loading decisions").
FROM ${MAVEN_IMAGE} AS job
ARG VARIANT
COPY job/target/videoforge-job-*-flink.jar /out/usrlib/videoforge-job.jar
COPY --from=jars /out/ort-gpu/ /tmp/ort-gpu/
RUN if [ "${VARIANT}" = gpu ]; then \
      apt-get update -qq && apt-get install -y -qq --no-install-recommends zip >/dev/null \
      && zip -q -d /out/usrlib/videoforge-job.jar 'org/bytedeco/onnxruntime/linux-x86_64/*' \
      && cp /tmp/ort-gpu/*.jar /out/usrlib/; \
    fi

# --- CUDA user-space libraries (the driver, libcuda and the NVDEC/NVENC libraries, comes from the node
#     through the NVIDIA container toolkit).
FROM ${CUDA_IMAGE} AS cuda
RUN mkdir -p /out/cuda \
 && cp -a /usr/local/cuda/lib64/libcudart.so* /usr/local/cuda/lib64/libcublas*.so* /usr/local/cuda/lib64/libcufft.so* \
       /usr/local/cuda/lib64/libcurand.so* /usr/local/cuda/lib64/libnvrtc*.so* /usr/local/cuda/lib64/libnvJitLink.so* /out/cuda/ \
 && cp -a /usr/lib/x86_64-linux-gnu/libcudnn*.so* /out/cuda/

# --- What both variants share.
FROM ${FLINK_IMAGE} AS common
COPY --from=jars --chown=flink:flink /out/lib/ /opt/flink/lib/
COPY --from=jars --chown=flink:flink /out/plugins/metrics-prometheus/ /opt/flink/plugins/metrics-prometheus/
COPY --from=job --chown=flink:flink /out/usrlib/ /opt/flink/usrlib/
# The configuration of a GPU cluster (standalone use; the Kubernetes operator writes its own from the
# FlinkDeployment, which repeats it).
COPY --chown=flink:flink flink-conf/gpu/config.yaml /opt/flink/conf/config.yaml

FROM common AS variant-cpu

FROM common AS variant-gpu
COPY --chown=flink:flink operators/target/videoforge-operators-*-gpu-plugin.jar /opt/flink/plugins/videoforge-gpu/
COPY --from=cuda /out/cuda/ /opt/videoforge/cuda/lib/
# TensorRT (WITH_TENSORRT) in its jar's layout, so that the start-up line names the redistributable;
# on the library path, where JavaCPP finds libnvinfer and libnvinfer its builder resource. Engines are
# cached in ~/.cache/videoforge/tensorrt of the flink user: mount a volume there (or set
# VIDEOFORGE_TENSORRT_CACHE) so that TaskManagers keep and share them.
COPY --from=jars /out/tensorrt/ /opt/videoforge/tensorrt/
ENV LD_LIBRARY_PATH=/opt/videoforge/cuda/lib:/opt/videoforge/tensorrt/org/bytedeco/tensorrt/linux-x86_64
# Ask the NVIDIA container toolkit for the compute and the video (NVDEC/NVENC) driver libraries.
ENV NVIDIA_DRIVER_CAPABILITIES=compute,utility,video

FROM variant-${VARIANT}
# Flink's image runs its entrypoint as the non-root user flink (uid 9999); state it.
USER flink
