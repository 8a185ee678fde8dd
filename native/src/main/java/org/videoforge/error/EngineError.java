package org.videoforge.error;

import java.util.Optional;

/**
 * The one failure type of the engine: a stable {@link ErrorCode}, a message that says what
 * happened, and the cause. Unchecked, so it crosses Flink operator boundaries unchanged; it is
 * serializable, so it also reaches the client of a remote cluster.
 */
public final class EngineError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public EngineError(ErrorCode code, String message) {
        this(code, message, null);
    }

    public EngineError(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** "E1005 CORRUPT_STREAM: <message>" -- the one line the CLI prints. */
    public String oneLine() {
        return "E" + code.number() + " " + code.name() + ": " + getMessage();
    }

    @Override
    public String toString() {
        return oneLine();
    }

    /** The first EngineError in a cause chain, e.g. inside Flink's JobExecutionException. */
    public static Optional<EngineError> findIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof EngineError) {
                return Optional.of((EngineError) c);
            }
            for (Throwable s : c.getSuppressed()) {
                Optional<EngineError> found = findIn(s);
                if (found.isPresent()) {
                    return found;
                }
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return Optional.empty();
    }
}
