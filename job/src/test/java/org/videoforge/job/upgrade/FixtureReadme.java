package org.videoforge.job.upgrade;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.runtime.util.EnvironmentInformation;

/** The README.md of a savepoint fixture: what it holds, what wrote it, how to write it again. */
final class FixtureReadme {
    private FixtureReadme() {
    }

    static String text(UpgradeFixtureWriter.Provenance provenance, SavepointContents savepoint,
                       TreeSet<Integer> committed, TreeSet<Integer> staged, TreeSet<Integer> queued, List<Path> files,
                       Path fixture, long bytes) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Savepoint fixture v1: the segmented streaming job, stopped mid-video\n\n")
                .append("Written by `org.videoforge.job.upgrade.UpgradeFixtureWriter` (not by hand) on ")
                .append(provenance.date()).append(", from commit `").append(provenance.head())
                .append("`, whose main sources and poms are those of commit `").append(provenance.mainSources())
                .append("` (the writer refuses to run with uncommitted changes there), with Flink ")
                .append(EnvironmentInformation.getVersion()).append(".\n")
                .append("`SavepointUpgradeTest` restores it with the code of the day and checks that the video ")
                .append("is finished with every segment exactly once: the upgrade path of a running job.\n\n")
                .append("Never rewrite this directory for a new state layout: the point is that it was written by ")
                .append("the old code. A later layout gets a fixture of its own (`v2/`, ...) beside it.\n\n");

        md.append("## What was run\n\n")
                .append("`videoforge stream` as `flink run` submits it (`StreamJobOnMiniCluster.streamArgs`: CPU ")
                .append("backend, parallelism 1, 1 s segments, a checkpoint every second, one encoder and one ")
                .append("inference thread), ")
                .append("on an in-process MiniCluster with the test Kafka broker (topics `")
                .append(String.join("`, `", UpgradeFixture.TOPICS)).append("`, one partition each). One request, `")
                .append(UpgradeFixture.REQUEST_ID).append("` (`").append(UpgradeFixture.REQUEST_RECORD)
                .append("`: the record value as produced, Avro), for `input.mp4`: H.264 ")
                .append(UpgradeFixture.WIDTH).append('x').append(UpgradeFixture.HEIGHT).append(", ")
                .append(UpgradeFixture.FPS).append(" fps, ").append(UpgradeFixture.FRAMES)
                .append(" frames, a keyframe every ").append(UpgradeFixture.KEYFRAME_INTERVAL).append(" frames (")
                .append(UpgradeFixture.SEGMENTS).append(" one-second segments), made by `SyntheticClips`. ")
                .append("Once at least ").append(UpgradeFixtureWriter.MIN_COMMITTED)
                .append(" segments were committed (a checkpoint commits all that was encoded since the one before) ")
                .append("the job was stopped with a savepoint (`stop-with-savepoint`, canonical format).\n\n");

        md.append("## At the savepoint (checkpoint ").append(savepoint.checkpointId()).append(")\n\n")
                .append("- committed (renamed into place, files in `staging/`): ").append(committed.size())
                .append(" segments ").append(committed).append('\n')
                .append("- encoded and staged, their commit in the savepoint: ").append(staged.size())
                .append(" segments ").append(staged).append('\n')
                .append("- queued in the Decode stage's operator state (Java-serialized `VideoTask`s): ")
                .append(queued.size()).append(" segments ").append(queued).append('\n')
                .append("- no result and no dead letter published\n\n")
                .append("State per operator (from `savepoint/_metadata`):\n\n");
        for (String line : savepoint.describeOperators()) {
            md.append("- ").append(line).append('\n');
        }

        md.append("\n## Files (").append(bytes).append(" bytes)\n\n");
        for (Path f : files) {
            md.append("- `").append(f).append("`: ").append(Files.size(fixture.resolve(f))).append(" bytes\n");
        }
        md.append("\n`").append(UpgradeFixture.FACTS).append("` has the facts above for the test; `")
                .append(UpgradeFixture.CHECKSUMS).append("` the files' digests (`sha256sum -c ")
                .append(UpgradeFixture.CHECKSUMS).append("` here), which the test checks first.\n\n");

        md.append("## What a restore needs\n\n")
                .append("- The fixed root `").append(UpgradeFixture.ROOT).append("`: the state holds absolute paths ")
                .append("(input, staging directory, output). The test copies `input.mp4` and `staging/` there.\n")
                .append("- A broker with the topics above, and `").append(UpgradeFixture.REQUEST_RECORD)
                .append("` produced to `").append(UpgradeFixture.REQUESTS_TOPIC)
                .append("` first: the savepoint's source offset is 1, just past it.\n")
                .append("- The job submitted with `execution.state-recovery.path` = the savepoint, not ignoring ")
                .append("unclaimed state.\n\n");

        md.append("## Writing it (again)\n\n")
                .append("From the repository root, at commit `").append(provenance.head()).append("` (the bytes ")
                .append("differ on every run: timestamps, temporary names):\n\n")
                .append("```bash\n")
                .append("nice mvn -q -o -pl job -am test-compile dependency:build-classpath \\\n")
                .append("  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt\n")
                .append("java @bin/flink-jvm.options \\\n")
                .append("  -cp job/target/test-classes:job/target/classes:$(cat job/target/test-classpath.txt) \\\n")
                .append("  org.videoforge.job.upgrade.UpgradeFixtureWriter ").append(UpgradeFixture.SOURCE_DIR)
                .append('\n')
                .append("```\n");
        return md.toString();
    }
}
