package org.videoforge.flink.source.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.FrameDecoder;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.device.FrameDevice;
import org.videoforge.device.HostFrameDevice;
import org.videoforge.device.TensorOps;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.source.split.VideoSplit;
import org.videoforge.frame.Precision;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.frame.VideoStreamInfo;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryBudget;
import org.videoforge.memory.MemoryKind;
import org.videoforge.testing.SyntheticClips;

/**
 * The source's decode loop hands a video's last frame over before it closes the video's decoder
 * (closing NVDEC's held the last frame back by up to a quarter of a second on an H200).
 */
class VideoSplitReaderTest {
    private static final int FRAMES = 4;

    @TempDir
    Path dir;

    /** The CPU device, counting the decoders it opens and closes. */
    private static final class CountingDevice implements FrameDevice {
        private final FrameDevice device;
        int opened;
        int closed;

        CountingDevice(FrameDevice device) {
            this.device = device;
        }

        @Override
        public FrameDecoder openDecoder(MediaInfo video) {
            FrameDecoder d = device.openDecoder(video);
            opened++;
            return new FrameDecoder() {
                @Override
                public DecodedFrame next() {
                    return d.next();
                }

                @Override
                public long framesDecoded() {
                    return d.framesDecoded();
                }

                @Override
                public void close() {
                    closed++;
                    d.close();
                }
            };
        }

        @Override
        public MemoryKind memory() {
            return device.memory();
        }

        @Override
        public FrameBuffer acquire(long bytes) {
            return device.acquire(bytes);
        }

        @Override
        public FrameBuffer toTensor(FrameBuffer yuv, VideoStreamInfo video, Precision p) {
            return device.toTensor(yuv, video, p);
        }

        @Override
        public FrameBuffer toHostYuv(FrameBuffer tensor, int width, int height, VideoStreamInfo video, Precision p) {
            return device.toHostYuv(tensor, width, height, video, p);
        }

        @Override
        public TensorOps tensorOps() {
            return device.tensorOps();
        }

        @Override
        public MemoryBudget memoryBudget() {
            return device.memoryBudget();
        }

        @Override
        public long hostCopies() {
            return device.hostCopies();
        }

        @Override
        public void close() {
            device.close();
        }
    }

    private VideoSplit split(String name) {
        MediaInfo clip = MediaProbe.probe(SyntheticClips.h264(dir.resolve(name + ".mp4"), 64, 48, FRAMES,
                new Rational(10, 1)), null);
        return VideoSplit.of(new VideoTask(name, clip, dir.resolve(name + "-x2.mp4"), VideoCodec.H264));
    }

    /** The envelopes of one fetch, closed once looked at; the ids of the splits it finished. */
    private static List<FrameEnvelope> drain(RecordsWithSplitIds<FrameEnvelope> records, List<String> finished) {
        List<FrameEnvelope> out = new ArrayList<>();
        while (records.nextSplit() != null) {
            for (FrameEnvelope e = records.nextRecordFromSplit(); e != null; e = records.nextRecordFromSplit()) {
                out.add(e);
                e.close();
            }
        }
        finished.addAll(records.finishedSplits());
        records.recycle();
        return out;
    }

    @Test
    void theLastFrameGoesOutBeforeItsDecoderCloses() {
        try (HostFrameDevice host = new HostFrameDevice()) {
            CountingDevice device = new CountingDevice(host);
            VideoSplitReader reader = new VideoSplitReader(device, new DecodeQueueGauge());
            VideoSplit a = split("a");
            VideoSplit b = split("b");
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(a, b)));
            List<String> finished = new ArrayList<>();
            for (int i = 0; i < FRAMES; i++) {
                List<FrameEnvelope> got = drain(reader.fetch(), finished);
                assertEquals(1, got.size());
                assertEquals(i == FRAMES - 1, got.get(0).lastOfVideo());
            }
            assertEquals(List.of(a.splitId()), finished);
            assertEquals(1, device.opened);
            assertEquals(0, device.closed, "a's decoder still open when its last frame is handed over");

            List<FrameEnvelope> first = drain(reader.fetch(), finished);
            assertEquals(1, device.closed, "the next fetch closes it, before b's decoder opens");
            assertEquals(2, device.opened);
            assertEquals("b", first.get(0).video().id());
            for (int i = 1; i < FRAMES; i++) {
                drain(reader.fetch(), finished);
            }
            assertEquals(Set.of(a.splitId(), b.splitId()), Set.copyOf(finished));
            assertEquals(1, device.closed);

            reader.close();
            assertEquals(2, device.closed, "closing the reader closes the last video's decoder");
        }
    }

    @Test
    void aFetchWithNothingLeftClosesTheFinishedDecoderAndReturnsNothing() {
        try (HostFrameDevice host = new HostFrameDevice()) {
            CountingDevice device = new CountingDevice(host);
            VideoSplitReader reader = new VideoSplitReader(device, new DecodeQueueGauge());
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("a"))));
            List<String> finished = new ArrayList<>();
            for (int i = 0; i < FRAMES; i++) {
                drain(reader.fetch(), finished);
            }
            assertEquals(0, device.closed);
            RecordsWithSplitIds<FrameEnvelope> none = reader.fetch();
            assertNull(none.nextSplit());
            assertEquals(1, device.closed);
            reader.close();
            assertEquals(1, device.closed, "closed once");
            assertEquals(1, device.opened);
            assertEquals(1, finished.size());
        }
    }
}
