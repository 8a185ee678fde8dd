package org.videoforge.flink.plan;

import java.nio.file.Path;
import org.videoforge.codec.RawInputHint;
import org.videoforge.frame.Precision;
import org.videoforge.frame.VideoCodec;
import org.videoforge.inference.ModelRef;

/**
 * A piece of work as someone asked for it, through any door (the CLI's flags, a Kafka
 * UpscaleRequest, a batch manifest's line), not yet checked: see {@link WorkPlanner}.
 *
 * @param id          the request id (the CLI: the output's file name)
 * @param origin      where it came from (a Kafka record, a manifest line); null for the CLI
 * @param input       the input file
 * @param rawHint     codec and size of a raw bitstream input; null for containers
 * @param output      the final output file
 * @param outputCodec null: the input's codec
 * @param model       null: the pipeline's model
 * @param precision   null: the pipeline's precision
 * @param crf         null: the encoder's default
 */
public record WorkRequest(String id, String origin, Path input, RawInputHint rawHint, Path output,
                          VideoCodec outputCodec, ModelRef model, Precision precision, Integer crf,
                          long acceptedAtMillis) {
}
