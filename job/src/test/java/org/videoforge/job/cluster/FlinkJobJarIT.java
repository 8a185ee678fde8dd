package org.videoforge.job.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CoreOptions;
import org.junit.jupiter.api.Test;

/** What the -flink job jar holds: everything the job needs, nothing the cluster provides. */
class FlinkJobJarIT {

    @Test
    void manifestNamesTheEntryPoint() throws IOException {
        try (JarFile jar = new JarFile(BuildPaths.jobJar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("org.videoforge.job.VideoForge", main.getValue("Program-Class"));
            assertEquals("org.videoforge.job.VideoForge", main.getValue("Main-Class"));
        }
    }

    @Test
    void holdsOurClassesNativesAndModels() throws IOException {
        try (JarFile jar = new JarFile(BuildPaths.jobJar().toFile())) {
            List<String> names = jar.stream().map(e -> e.getName()).collect(Collectors.toList());
            for (String required : List.of("org/videoforge/job/VideoForge.class",
                    "org/videoforge/flink/pipeline/UpscalePipeline.class", "org/videoforge/codec/VideoDecoder.class",
                    "picocli/CommandLine.class", "org/bytedeco/javacpp/Loader.class",
                    "models/esrgan-slim-x2-fp32.onnx")) {
                assertTrue(names.contains(required), required + " in the job jar");
            }
            for (String prefix : List.of("org/bytedeco/ffmpeg/linux-x86_64-gpl/libavcodec.so",
                    "org/bytedeco/onnxruntime/linux-x86_64/libonnxruntime.so",
                    "org/bytedeco/onnxruntime/linux-x86_64/libjnionnxruntime.so")) {
                assertTrue(names.stream().anyMatch(n -> n.startsWith(prefix)), prefix + "* in the job jar");
            }
            assertFalse(names.contains("log4j2.properties"), "the cluster's log4j configuration governs");
        }
    }

    /**
     * Classes Flink always loads from its own classpath (classloader.parent-first-patterns.default:
     * Flink itself, logging, ...) and kafka-clients (in the cluster's lib with the Kafka connector)
     * must not be in the jar: a copy there would be dead weight, or a second copy of a class.
     */
    @Test
    void leavesOutWhatTheClusterProvides() throws IOException {
        List<String> parentFirst = new ArrayList<>(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS.defaultValue());
        parentFirst.add("org.apache.kafka.");
        List<String> offending = new ArrayList<>();
        try (JarFile jar = new JarFile(BuildPaths.jobJar().toFile())) {
            jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .filter(c -> parentFirst.stream().anyMatch(c::startsWith))
                    .limit(20)
                    .forEach(offending::add);
        }
        assertEquals(List.of(), offending, "classes matching " + parentFirst);
    }
}
