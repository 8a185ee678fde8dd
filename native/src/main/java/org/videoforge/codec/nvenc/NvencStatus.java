package org.videoforge.codec.nvenc;

/**
 * What the start-up probe found about NVENC on one GPU: usable or not, and why, in words for the
 * user (the CLI prints {@link #encoderNote}).
 */
public record NvencStatus(boolean available, String gpu, String detail) {
    /** The line telling the user which encoder runs; frames are encoded in software either way today. */
    public String encoderNote(String softwareEncoder) {
        if (available) {
            return "NVENC is available on " + gpu + " (" + detail + "), but VideoForge does not encode with it yet: "
                    + "encoding with " + softwareEncoder + " on the CPU after one download per frame";
        }
        return "No NVENC on " + gpu + " (" + detail + "): encoding with " + softwareEncoder
                + " on the CPU after one download per frame";
    }
}
