package org.videoforge.job.deploy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The Prometheus reporters of a test cluster: a free port range for them, and scraping it. */
public final class PrometheusEndpoints {
    /** Prefix of VideoForge's operator metrics as Flink's Prometheus reporter names them. */
    public static final String OPERATOR = "flink_taskmanager_job_task_operator_videoforge_";

    private PrometheusEndpoints() {
    }

    /** The first of {@code n} consecutive free loopback ports (for metrics.reporter.prom.port). */
    public static int freePortRange(int n) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20000, 60000);
            if (allFree(base, n)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + n + " consecutive free ports found");
    }

    private static boolean allFree(int base, int n) {
        for (int p = base; p < base + n; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** Every sample the reporters on ports [first, first + n) serve now; ports without one are skipped. */
    public static List<PrometheusText.Sample> scrape(int first, int n) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        List<PrometheusText.Sample> samples = new ArrayList<>();
        for (int port = first; port < first + n; port++) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/metrics")).timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    samples.addAll(PrometheusText.parse(r.body()).samples());
                }
            } catch (IOException e) {
                // no reporter on this port
            }
        }
        return samples;
    }
}
