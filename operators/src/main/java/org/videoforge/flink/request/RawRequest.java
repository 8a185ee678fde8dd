package org.videoforge.flink.request;

/**
 * A request as it arrived, not yet parsed: the record's bytes (an Avro UpscaleRequest, if all is
 * well) and where it came from. Parsing happens in {@link RequestIntake}, not in the source, so a
 * record that is not a request becomes a coded result instead of a failed job. A Flink POJO.
 */
public final class RawRequest {
    private byte[] value;
    private String origin;
    private long receivedAtMillis;

    public RawRequest() {
    }

    public RawRequest(byte[] value, String origin, long receivedAtMillis) {
        this.value = value;
        this.origin = origin;
        this.receivedAtMillis = receivedAtMillis;
    }

    /** The record's value; may be null (a Kafka tombstone). */
    public byte[] getValue() {
        return value;
    }

    public void setValue(byte[] value) {
        this.value = value;
    }

    /** Where it came from, e.g. {@code requests-0@42} (topic-partition@offset) or {@code manifest.txt:3}. */
    public String getOrigin() {
        return origin;
    }

    public void setOrigin(String origin) {
        this.origin = origin;
    }

    public long getReceivedAtMillis() {
        return receivedAtMillis;
    }

    public void setReceivedAtMillis(long receivedAtMillis) {
        this.receivedAtMillis = receivedAtMillis;
    }
}
