package org.videoforge.flink.request;

/**
 * A request the job could not take on — not Avro, missing input, unknown model, unreadable video:
 * the original bytes, where they came from and the coded reason. Goes to the dead-letter topic
 * (its result goes to the results topic as well). A Flink POJO.
 */
public final class DeadLetter {
    private byte[] value;
    private String origin;
    private String requestId;
    private int errorCode;
    private String errorMessage;

    public DeadLetter() {
    }

    public DeadLetter(RawRequest raw, String requestId, int errorCode, String errorMessage) {
        this.value = raw.getValue();
        this.origin = raw.getOrigin();
        this.requestId = requestId;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
    }

    public byte[] getValue() {
        return value;
    }

    public void setValue(byte[] value) {
        this.value = value;
    }

    public String getOrigin() {
        return origin;
    }

    public void setOrigin(String origin) {
        this.origin = origin;
    }

    public String getRequestId() {
        return requestId;
    }

    public void setRequestId(String requestId) {
        this.requestId = requestId;
    }

    public int getErrorCode() {
        return errorCode;
    }

    public void setErrorCode(int errorCode) {
        this.errorCode = errorCode;
    }

    public String getErrorMessage() {
        return errorMessage;
    }

    public void setErrorMessage(String errorMessage) {
        this.errorMessage = errorMessage;
    }
}
