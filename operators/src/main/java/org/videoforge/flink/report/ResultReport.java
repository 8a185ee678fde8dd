package org.videoforge.flink.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.videoforge.contract.UpscaleResult;

/**
 * A batch run's report: one UpscaleResult per line in Avro's JSON encoding (the same contract as
 * the results topic, readable by any Avro tool or by eye).
 */
public final class ResultReport {
    private ResultReport() {
    }

    /** One line, without the newline. */
    public static String toLine(UpscaleResult result) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        JsonEncoder json = EncoderFactory.get().jsonEncoder(UpscaleResult.getClassSchema(), out);
        new SpecificDatumWriter<>(UpscaleResult.class).write(result, json);
        json.flush();
        return out.toString(StandardCharsets.UTF_8).replace('\n', ' ');
    }

    /**
     * The results in the report, one per request: a request reported twice (its video assembled
     * again after a restart) counts once, with its last line.
     */
    public static List<UpscaleResult> read(Path report) throws IOException {
        Map<String, UpscaleResult> byId = new LinkedHashMap<>();
        SpecificDatumReader<UpscaleResult> reader = new SpecificDatumReader<>(UpscaleResult.class);
        try (BufferedReader lines = Files.newBufferedReader(report, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                UpscaleResult r = reader.read(null, DecoderFactory.get().jsonDecoder(UpscaleResult.getClassSchema(), line));
                byId.put(r.getRequestId(), r);
            }
        }
        return new ArrayList<>(byId.values());
    }
}
