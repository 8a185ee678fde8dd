package org.videoforge.job.segmented;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.kafka.KafkaTopics;

/** The topic check before the stream job starts, without a broker (LocalStreamRecoveryIT has one). */
class KafkaTopicsTest {
    @Test
    void aBrokerThatDoesNotAnswerIsACodedErrorNamingTheAddress() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String servers = "127.0.0.1:" + port;
        long t0 = System.nanoTime();
        EngineError e = assertThrows(EngineError.class,
                () -> new KafkaTopics(servers, null, null, Duration.ofSeconds(2)).ensureExist(List.of("requests")));
        assertEquals(ErrorCode.TOPIC_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("cannot check topic requests at " + servers)
                && e.getMessage().contains("check --bootstrap-servers"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos(), "within the timeout, not Kafka's 60 s");
    }
}
