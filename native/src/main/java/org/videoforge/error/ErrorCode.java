package org.videoforge.error;

/**
 * Stable numeric error codes. A code, once released, keeps its number and meaning forever
 * (a test pins them); new codes take new numbers. Ranges: 1xxx input, 2xxx model,
 * 3xxx device and memory, 4xxx output, 5xxx run control, 6xxx requests and their topics, 9xxx internal.
 */
public enum ErrorCode {
    INVALID_ARGUMENT(1000, "Check the command-line flags."),
    INPUT_NOT_FOUND(1001, "Check the input path."),
    INPUT_UNREADABLE(1002, "The file is not a video container FFmpeg can read; check it plays elsewhere."),
    NO_VIDEO_STREAM(1003, "The input has no video stream."),
    UNSUPPORTED_CODEC(1004, "Transcode the input to H.264 or HEVC first."),
    CORRUPT_STREAM(1005, "The video data is damaged or truncated; re-fetch or re-encode the input."),
    UNSUPPORTED_PIXEL_FORMAT(1006, "Only 4:2:0 8-bit and 10-bit video is supported; convert the input."),
    RAW_STREAM_NEEDS_GEOMETRY(1007, "Raw Annex B input needs --codec, --width and --height."),
    FRAME_SIZE_UNSUPPORTED(1008, "The frame size is beyond H.264/HEVC level 6.2 (at most 16384 a side, 35,651,584 pixels); scale the input down."),

    MODEL_NOT_FOUND(2001, "Check the -m path or bundled model name."),
    MODEL_INVALID(2002, "The model file is not a loadable ONNX model."),
    MODEL_SHAPE_MISMATCH(2003, "The model must take and return one NCHW tensor with 3 channels."),
    MODEL_PRECISION_MISMATCH(2004, "Pass the -p that matches the model's tensor type, or use a model of that precision."),

    VRAM_EXHAUSTED(3001, "Raise --vram-limit or use a smaller model, input or batch."),
    DEVICE_UNAVAILABLE(3002, "Check the -d device index and the GPU driver."),
    BACKEND_UNAVAILABLE(3003, "Pick another --backend, or install what this one needs."),
    INFERENCE_FAILED(3004, "The inference runtime rejected the model or tensors; see the cause."),

    ENCODER_UNAVAILABLE(4001, "Choose another output codec or container."),
    OUTPUT_WRITE_FAILED(4002, "Check that the output directory exists, is writable and has space."),
    ENCODE_FAILED(4003, "The encoder rejected a frame; see the cause."),
    OUTPUT_DISK_FULL(4004, "The output filesystem is full; free space or write elsewhere."),

    CANCELLED(5001, "The run was cancelled; nothing was written."),
    JOB_FAILED(5002, "The Flink job failed; see the cause."),
    STALLED(5003, "Reading the input or writing the output made no progress within the deadline; check the storage."),

    REQUEST_INVALID(6001, "Send an Avro UpscaleRequest (operators/src/main/avro) with a request id, input and output."),
    TOPIC_UNAVAILABLE(6002, "Create the Kafka topics the job names (or let it: allow topic creation), and check --bootstrap-servers."),

    INTERNAL(9000, "This is a bug; please report it with the log."),
    PIPELINE_NOT_CHAINED(9001, "Keep Decode, Preprocess, Inference and Encode chained in one task with object reuse on.");

    private final int number;
    private final String advice;

    ErrorCode(int number, String advice) {
        this.number = number;
        this.advice = advice;
    }

    /** The stable number printed by the CLI and written into results. */
    public int number() {
        return number;
    }

    /** One sentence telling the user what to do. */
    public String advice() {
        return advice;
    }

    public static ErrorCode ofNumber(int number) {
        for (ErrorCode c : values()) {
            if (c.number == number) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown error code " + number);
    }
}
