package org.videoforge.flink.request;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * Avro binary encoding of one contract type (schemas in operators/src/main/avro, no schema
 * registry: the record is the bare binary datum, written and read with the schema compiled in).
 * Not thread-safe; one per operator instance.
 */
public final class AvroCodec<T extends SpecificRecordBase> {
    private final Class<T> type;
    private final SpecificDatumReader<T> reader;
    private final SpecificDatumWriter<T> writer;
    private BinaryDecoder decoder;
    private BinaryEncoder encoder;

    public AvroCodec(Class<T> type) {
        this.type = type;
        this.reader = new SpecificDatumReader<>(type);
        this.writer = new SpecificDatumWriter<>(type);
    }

    /**
     * @throws EngineError REQUEST_INVALID when the bytes are not one complete datum of the type
     */
    public T decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new EngineError(ErrorCode.REQUEST_INVALID, "empty record is not a " + type.getSimpleName());
        }
        try {
            decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new IOException((bytes.length - decoder.inputStream().available()) + " of " + bytes.length
                        + " bytes form a datum; the rest is not part of it");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw new EngineError(ErrorCode.REQUEST_INVALID, "record of " + bytes.length + " bytes is not an Avro "
                    + type.getSimpleName() + ": " + reason(e), e);
        }
    }

    /** Avro's decoding failures often carry no message (an EOFException when the bytes end early). */
    private static String reason(Exception e) {
        if (e instanceof EOFException) {
            return "it ends before the datum does (EOFException)";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    public byte[] encode(T value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
        try {
            writer.write(value, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new EngineError(ErrorCode.INTERNAL, "cannot encode " + value, e);
        }
        return bytes.toByteArray();
    }
}
