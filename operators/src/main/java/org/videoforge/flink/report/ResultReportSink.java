package org.videoforge.flink.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.videoforge.flink.assemble.ResultContract;
import org.videoforge.flink.assemble.VideoResult;

/**
 * Appends each result to a batch run's report file ({@link ResultReport}), flushed per line. Each
 * result is written when its video is published; a restart may write one again, which the reader
 * folds (the videos themselves are exactly-once through the commit). Every writer appends to the
 * same file with whole-line writes, on storage the client can read after the job.
 */
public final class ResultReportSink implements Sink<VideoResult> {
    private static final long serialVersionUID = 1L;

    private final String report;

    public ResultReportSink(Path report) {
        this.report = report.toAbsolutePath().toString();
    }

    @Override
    public SinkWriter<VideoResult> createWriter(WriterInitContext context) throws IOException {
        return new LineWriter(Paths.get(report));
    }

    private static final class LineWriter implements SinkWriter<VideoResult> {
        private final Writer out;

        LineWriter(Path report) throws IOException {
            this.out = Files.newBufferedWriter(report, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }

        @Override
        public void write(VideoResult result, Context context) throws IOException {
            synchronized (LineWriter.class) { // writers of one TaskManager share the file
                out.write(ResultReport.toLine(ResultContract.toAvro(result)) + "\n");
                out.flush();
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
