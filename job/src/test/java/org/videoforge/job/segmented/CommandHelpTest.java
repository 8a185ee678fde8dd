package org.videoforge.job.segmented;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.videoforge.job.cli.UpscaleCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code videoforge --help}, {@code stream --help} and {@code batch --help} say what every flag does,
 * and its default where it has one (the frame path's flags are one mixin in all three).
 */
class CommandHelpTest {
    private static void everyOptionIsDescribed(Object command) {
        CommandLine cli = new CommandLine(command);
        for (OptionSpec option : cli.getCommandSpec().options()) {
            String description = String.join(" ", option.description());
            assertTrue(!description.isBlank(), option.longestName() + " has a description");
            if (option.defaultValue() != null && !option.usageHelp() && !option.versionHelp()
                    && !option.type().equals(boolean.class)) {
                assertTrue(description.toLowerCase(Locale.ROOT).contains("default: " + option.defaultValue()),
                        option.longestName() + " states its default " + option.defaultValue() + ": " + description);
            }
        }
    }

    @Test
    void streamFlagsAreDescribedWithTheirDefaults() {
        everyOptionIsDescribed(new StreamCommand());
        CommandLine.Model.CommandSpec spec = new CommandLine(new StreamCommand()).getCommandSpec();
        Map<String, String> shown = Map.of(
                "--bootstrap-servers", "Kafka brokers to connect to",
                "--requests-topic", "(default: videoforge-requests)",
                "--results-topic", "(default: videoforge-results)",
                "--dead-letter-topic", "(default: videoforge-dead-letters)",
                "--topic-partitions", "(default: the broker's num.partitions)",
                "--topic-replication", "(default: the broker's default.replication.factor)",
                "--state-dir", "(default: ~/.local/state/videoforge/stream-");
        shown.forEach((flag, text) -> {
            String description = String.join(" ", spec.findOption(flag).description());
            assertTrue(description.contains(text), flag + ": '" + text + "' in " + description);
        });
    }

    @Test
    void batchFlagsAreDescribedWithTheirDefaults() {
        everyOptionIsDescribed(new BatchCommand());
    }

    @Test
    void singleChainFlagsAreDescribedWithTheirDefaults() {
        everyOptionIsDescribed(new UpscaleCommand());
    }
}
