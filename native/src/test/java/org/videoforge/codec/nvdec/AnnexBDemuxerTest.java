package org.videoforge.codec.nvdec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.codec.RawInputHint;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.VideoCodec;
import org.videoforge.testing.PacketIndex;

/** The demux half of NvDecoder, which needs no GPU: what NVDEC's parser will be fed. */
class AnnexBDemuxerTest {
    @TempDir
    static Path dir;
    private static Path mp4;
    private static Path mkv;
    private static Path raw;

    @BeforeAll
    static void inputs() {
        mp4 = NvdecTestVideos.h264(dir, "h264.mp4", 24);
        mkv = NvdecTestVideos.hevc10(dir, "hevc10.mkv", 12);
        raw = NvdecTestVideos.h264(dir, "clip.h264", 12);
    }

    private record Read(List<byte[]> packets, List<Long> pts, long packetsRead, boolean filtered) {
    }

    private static Read readAll(MediaInfo info) {
        List<byte[]> packets = new ArrayList<>();
        List<Long> pts = new ArrayList<>();
        try (AnnexBDemuxer d = AnnexBDemuxer.open(info)) {
            for (AVPacket p = d.next(); p != null; p = d.next()) {
                byte[] b = new byte[p.size()];
                p.data().get(b);
                packets.add(b);
                pts.add(p.pts());
            }
            assertNull(d.next(), "the end is sticky");
            return new Read(packets, pts, d.packetsRead(), d.filtered());
        }
    }

    @Test
    void mp4H264BecomesAnnexBWithParameterSetsInBand() {
        Read r = readAll(MediaProbe.probe(mp4, null));
        assertTrue(r.filtered());
        assertEquals(24, r.packets().size());
        assertEquals(24, r.packetsRead());
        r.packets().forEach(AnnexBDemuxerTest::assertStartsWithStartCode);
        Set<Integer> first = nalTypes(r.packets().get(0), VideoCodec.H264);
        assertTrue(first.containsAll(Set.of(7, 8, 5)), "SPS, PPS and IDR in the first packet: " + first);
        // Packets come in decode order with their presentation timestamps: the same set as the CPU decoder's frames.
        assertEquals(Decodes.cpu(MediaProbe.probe(mp4, null)).pts(), sorted(r.pts()));
        assertFalse(r.pts().equals(sorted(r.pts())), "B-frames: decode order is not presentation order");
    }

    @Test
    void mkvHevcBecomesAnnexBWithParameterSetsInBand() {
        Read r = readAll(MediaProbe.probe(mkv, null));
        assertTrue(r.filtered());
        assertEquals(12, r.packets().size());
        r.packets().forEach(AnnexBDemuxerTest::assertStartsWithStartCode);
        Set<Integer> first = nalTypes(r.packets().get(0), VideoCodec.HEVC);
        assertTrue(first.containsAll(Set.of(32, 33, 34)), "VPS, SPS and PPS in the first packet: " + first);
        assertEquals(Decodes.cpu(MediaProbe.probe(mkv, null)).pts(), sorted(r.pts()));
    }

    @Test
    void rawAnnexBPassesThroughByteForByte() throws IOException {
        MediaInfo info = MediaProbe.probe(raw, new RawInputHint(VideoCodec.H264, 320, 180));
        Read r = readAll(info);
        assertFalse(r.filtered());
        assertEquals(12, r.packets().size());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : r.packets()) {
            all.write(p);
        }
        assertArrayEquals(Files.readAllBytes(raw), all.toByteArray());
    }

    @Test
    void aPacketCutShortIsACorruptStream() throws IOException {
        PacketIndex.Packet p = PacketIndex.videoPackets(mp4).get(10);
        MediaInfo info = MediaProbe.probe(truncate(mp4, p.pos() + 5), null);
        try (AnnexBDemuxer d = AnnexBDemuxer.open(info)) {
            EngineError e = assertThrows(EngineError.class, () -> {
                while (d.next() != null) {
                    // read on
                }
            });
            assertEquals(ErrorCode.CORRUPT_STREAM, e.code(), e.oneLine());
        }
    }

    @Test
    void aCutBetweenPacketsJustEndsEarly() throws IOException {
        // Only the declared frame count can tell: NvDecoder checks packetsRead against it.
        PacketIndex.Packet p = PacketIndex.videoPackets(mp4).get(15);
        MediaInfo info = MediaProbe.probe(truncate(mp4, p.pos() + p.size()), null);
        assertEquals(24, info.video().frameCount());
        assertEquals(16, readAll(info).packetsRead());
    }

    private static Path truncate(Path source, long length) throws IOException {
        byte[] all = Files.readAllBytes(source);
        byte[] cut = new byte[(int) length];
        System.arraycopy(all, 0, cut, 0, cut.length);
        return Files.write(dir.resolve("cut-" + length + "-" + source.getFileName()), cut);
    }

    private static void assertStartsWithStartCode(byte[] p) {
        boolean three = p.length > 3 && p[0] == 0 && p[1] == 0 && p[2] == 1;
        boolean four = p.length > 4 && p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 1;
        assertTrue(three || four, "packet does not start with an Annex B start code");
    }

    /** NAL unit types after each 00 00 01 start code. */
    private static Set<Integer> nalTypes(byte[] p, VideoCodec codec) {
        Set<Integer> types = new HashSet<>();
        for (int i = 0; i + 3 < p.length; i++) {
            if (p[i] == 0 && p[i + 1] == 0 && p[i + 2] == 1) {
                int header = p[i + 3] & 0xff;
                types.add(codec == VideoCodec.H264 ? header & 0x1f : (header >> 1) & 0x3f);
            }
        }
        return types;
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> out = new ArrayList<>(values);
        out.sort(null);
        return out;
    }
}
