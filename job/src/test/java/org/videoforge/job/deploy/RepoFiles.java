package org.videoforge.job.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.videoforge.job.cluster.BuildPaths;

/** Files of the repository the deployment tests compare: poms, Dockerfile, README. */
final class RepoFiles {
    private RepoFiles() {
    }

    static Path root() {
        return BuildPaths.repositoryRoot();
    }

    static String read(String relative) {
        try {
            return Files.readString(root().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code <name>value</name>} of a pom's properties. */
    static String pomProperty(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(read(pom));
        if (!m.find()) {
            throw new IllegalStateException(pom + " has no property " + name);
        }
        return m.group(1).trim();
    }

    /** The project version (the parent pom's own version). */
    static String projectVersion() {
        Matcher m = Pattern.compile("<artifactId>videoforge-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(read("pom.xml"));
        if (!m.find()) {
            throw new IllegalStateException("no version in pom.xml");
        }
        return m.group(1);
    }

    /** The file name the job module's shade plugin gives the job jar (see job/pom.xml). */
    static String jobJarName() {
        return "videoforge-job-" + projectVersion() + "-flink.jar";
    }
}
