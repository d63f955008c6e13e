package org.imgedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imgedge.testing.RawConnection;
import org.imgedge.testing.RunningApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What one unauthenticated client can do with many connections or requests: neither may cost the
 * service its health checks or unbounded memory. Prints the health checks' latencies.
 */
class ConnectionFloodTest {

  private static final int CAP = 1_000;
  private static final int FLOOD = 10_000;

  @RegisterExtension
  static final RunningApp app = new RunningApp(new JsonObject().put("http",
      // a first-byte deadline longer than the test: the cap alone must keep the service reachable
      new JsonObject().put("maxConnections", CAP).put("idleBeforeFirstByteSeconds", 600).put("managementPort", 0)));

  @Test
  @DisplayName("10,000 connections that send nothing: the open ones stay under the cap, and health checks on the management port"
      + " all answer 200 within 100 ms (median) while they come")
  void zeroByteConnections() throws Exception {
    List<Socket> flood = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> flooding = CompletableFuture.runAsync(() -> {
      try {
        for (int i = 0; i < FLOOD; i++) {
          flood.add(new Socket("127.0.0.1", app.get().port()));
        }
      } catch (IOException e) {
        throw new AssertionError("connection " + flood.size() + " of the flood failed", e);
      }
    });
    try {
      // On the main port, while the flood comes faster than the server accepts, a check can be closed as
      // the oldest idle connection before its request is read: counted and printed, not asserted. The
      // management port is outside the cap, so none of its checks may fail.
      List<Long> management = new ArrayList<>();
      List<Long> during = new ArrayList<>();
      int failedDuring = 0;
      while (!flooding.isDone()) {
        management.add(healthCheckMicros(app.get().managementPort()));
        try {
          during.add(healthCheckMicros(app.get().port()));
        } catch (UncheckedIOException | AssertionError e) {
          failedDuring++;
        }
      }
      flooding.join();
      List<Long> after = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        after.add(healthCheckMicros(app.get().port()));
      }
      String metrics = request("GET", "/metrics");
      Matcher open = Pattern.compile("(?m)^imgedge_http_connections_open (\\S+)$").matcher(metrics);
      assertThat(open.find()).as("the open-connections gauge").isTrue();
      System.out.printf("flood: %d zero-byte connections held against a cap of %d, %.0f open at the server."
          + " Health checks while it came: on the management port %d answered (%s); on the main port %d answered (%s), %d cut;"
          + " after, on new connections to the main port: %s%n", FLOOD, CAP, Double.parseDouble(open.group(1)), management.size(),
          figures(management), during.size(), figures(during), failedDuring, figures(after));
      assertThat(Double.parseDouble(open.group(1))).as("connections open at the server").isLessThanOrEqualTo(CAP);
      assertThat(management).as("health checks on the management port during the flood").isNotEmpty();
      assertThat(median(management)).as("median health check on the management port during the flood, in microseconds")
          .isLessThan(100_000);
      assertThat(median(after)).as("median health check, in microseconds").isLessThan(100_000);
    } finally {
      flooding.handle((v, e) -> null).join();
      synchronized (flood) {
        for (Socket s : flood) {
          s.close();
        }
      }
    }
  }

  @Test
  @DisplayName("the management port answers the health checks and /metrics, and nothing of the API")
  void managementPortServesOperationsOnly() {
    int port = app.get().managementPort();
    assertThat(RawConnection.status(request(port, "GET", "/health/ready"))).isEqualTo(200);
    assertThat(request(port, "GET", "/metrics")).contains("imgedge_http_connections_open");
    assertThat(RawConnection.status(request(port, "GET", "/v1/images"))).isEqualTo(404);
  }

  /** One GET /health/live on a new connection to {@code port}, which must answer 200; its time in microseconds. */
  private static long healthCheckMicros(int port) {
    long start = System.nanoTime();
    assertThat(RawConnection.status(request(port, "GET", "/health/live"))).isEqualTo(200);
    return (System.nanoTime() - start) / 1_000;
  }

  private static long median(List<Long> micros) {
    return micros.stream().sorted().toList().get(micros.size() / 2);
  }

  private static String figures(List<Long> micros) {
    if (micros.isEmpty()) {
      return "none";
    }
    List<Long> sorted = micros.stream().sorted().toList();
    return String.format("median %.1f ms, max %.1f ms", sorted.get(sorted.size() / 2) / 1e3, sorted.get(sorted.size() - 1) / 1e3);
  }

  @Test
  @DisplayName("10,000 requests with distinct method tokens leave the metrics' series unchanged")
  void distinctMethodTokens() {
    request("WARMUP", "/x");
    series(); // the first scrape adds its own series
    Set<String> before = series();
    for (int i = 0; i < FLOOD; i++) {
      assertThat(RawConnection.status(request(String.format("M%07d", i), "/x"))).isBetween(400, 499);
    }
    Set<String> after = series();
    System.out.printf("metrics: %d series before and %d after %d distinct method tokens%n", before.size(), after.size(), FLOOD);
    assertThat(after).isEqualTo(before);
  }

  /** A request to the main port on a connection of its own (the answer to an unknown method closes it). */
  private static String request(String method, String path) {
    return request(app.get().port(), method, path);
  }

  private static String request(int port, String method, String path) {
    try (RawConnection c = RawConnection.open(port)) {
      return c.send(method + " " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").answer();
    }
  }

  /** The names and labels of the service's series in a Prometheus exposition, without their values. */
  private static Set<String> series() {
    String answer = request("GET", "/metrics");
    Set<String> series = new TreeSet<>();
    Arrays.stream(answer.substring(answer.indexOf("\r\n\r\n") + 4).split("\n"))
        // the service's own series: the JVM's come and go on their own (a GC pause with a new cause)
        .filter(line -> line.startsWith("http_") || line.startsWith("imgedge_"))
        .forEach(line -> series.add(line.substring(0, line.lastIndexOf(' '))));
    return series;
  }
}
