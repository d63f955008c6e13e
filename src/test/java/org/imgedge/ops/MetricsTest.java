package org.imgedge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.imgedge.testing.Backend;
import org.imgedge.testing.GeneratedImages;
import org.imgedge.testing.NginxServer;
import org.imgedge.testing.Ports;
import org.imgedge.testing.ServiceClient;
import org.imgedge.testing.ServiceProcess;
import org.imgedge.testing.Teardown;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator's Prometheus reads: a scrape of a real node (its own process, as started in
 * production, on PostgreSQL, Redis and S3) after uploads, refused uploads, a 404 and cache hits.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MetricsTest {

  /** Smaller than the refused picture, larger than the generated ones (64 x 64). */
  private static final long MAX_PIXELS = 100 * 100;
  private static final long MAX_UPLOAD_BYTES = 200_000;
  private static final String VARIANT_ROUTE = "/v1/images/:id/:file";

  @TempDir
  static Path storage;
  private static Backend backend;
  private static ServiceProcess service;
  private static ServiceClient client;
  private static String scrape;

  @BeforeAll
  static void startAndUse() throws Exception {
    backend = Backend.production();
    service = ServiceProcess.start(storage, backend, new JsonObject()
        .put("limits", new JsonObject().put("maxPixels", MAX_PIXELS).put("maxUploadBytes", MAX_UPLOAD_BYTES)));
    client = new ServiceClient(service::uri);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ServiceClient.Answer created = client.uploadRaw(TestApp.ALICE, GeneratedImages.png(i).getBytes(), "image/png");
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      ids.add(created.json().getString("id"));
    }
    for (String id : ids) {
      for (int i = 0; i < 5; i++) { // the first may come from Redis or storage, the rest from memory
        assertThat(client.get("/v1/images/" + id + "/small.jpg", null).status()).isEqualTo(200);
      }
    }
    assertThat(client.uploadRaw(TestApp.ALICE, png(200, 200), "image/png").json().getString("type"))
        .isEqualTo("urn:imgedge:error:too-many-pixels");
    assertThat(client.uploadRaw(TestApp.ALICE, new byte[(int) MAX_UPLOAD_BYTES * 2], "image/png").status()).isEqualTo(413);
    assertThat(client.get("/v1/images/no-such-image/small.jpg", null).status()).isEqualTo(404);
    scrape = get(service.uri("/metrics")).body();
    Files.writeString(Path.of("target", "metrics-scrape.txt"), scrape); // for a reader of a failed run
  }

  @AfterAll
  static void stop() throws Exception {
    Teardown.closeAll(service, backend);
  }

  @Test
  @DisplayName("promtool check metrics passes on the scrape: HELP and TYPE on every metric, names as Prometheus wants them")
  void promtoolAcceptsTheScrape() throws Exception {
    Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    promtool.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
    promtool.getOutputStream().close();
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    System.out.println("promtool check metrics: exit " + promtool.exitValue() + (output.isEmpty() ? "" : "\n" + output));
    assertThat(promtool.exitValue()).as(output).isZero();
  }

  @Test
  @DisplayName("The request durations are a histogram: p95 of the cached reads is computed from the scraped buckets")
  void quantileFromBuckets() {
    // the buckets of every series of the route, summed by bound, as sum by (le) (...) does in PromQL
    Map<Double, Double> buckets = new TreeMap<>();
    Pattern bucket = Pattern.compile("^http_server_requests_seconds_bucket\\{(.*)} (\\S+)$", Pattern.MULTILINE);
    Matcher m = bucket.matcher(scrape);
    while (m.find()) {
      if (m.group(1).contains("route=\"" + VARIANT_ROUTE + "\"") && m.group(1).contains("method=\"GET\"")) {
        Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher(m.group(1));
        assertThat(le.find()).isTrue();
        double bound = "+Inf".equals(le.group(1)) ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
        buckets.merge(bound, Double.parseDouble(m.group(2)), Double::sum);
      }
    }
    // a handful of bounds, not Micrometer's ~70 percentile buckets
    assertThat(buckets.keySet()).hasSizeBetween(5, 12).contains(Double.POSITIVE_INFINITY);
    assertThat(buckets.get(Double.POSITIVE_INFINITY)).isEqualTo(16.0); // 15 reads and the 404
    double p95 = histogramQuantile(0.95, buckets);
    System.out.println("p95 of GET " + VARIANT_ROUTE + ": " + p95 + " s, from " + buckets);
    assertThat(p95).isGreaterThan(0).isLessThanOrEqualTo(buckets.keySet().stream()
        .filter(b -> b < Double.POSITIVE_INFINITY).max(Double::compare).orElseThrow());
  }

  @Test
  @DisplayName("Errors are counted by problem type: too-many-pixels and payload-too-large (both 413) apart, and the 404")
  void errorsByProblemType() {
    assertThat(value("imgedge_http_problems_total", "type=\"too-many-pixels\"")).isEqualTo(1.0);
    assertThat(value("imgedge_http_problems_total", "type=\"payload-too-large\"")).isEqualTo(1.0);
    assertThat(value("imgedge_http_problems_total", "type=\"not-found\"")).isEqualTo(1.0);
    assertThat(value("imgedge_http_problems_total", "type=\"internal\"")).isZero();
  }

  @Test
  @DisplayName("The scrape has cache hits, upload stages, storage calls, JVM, process, Vert.x pool, PostgreSQL and Redis figures")
  void whatAnOperatorAlertsOn() {
    assertThat(value("imgedge_cache_hits_total", "tier=\"memory\"")).isGreaterThanOrEqualTo(12.0);
    for (String stage : List.of("inspect", "imaging", "store", "catalog")) {
      assertThat(value("imgedge_upload_stage_seconds_count", "stage=\"" + stage + "\"")).as(stage).isGreaterThanOrEqualTo(3.0);
    }
    assertThat(value("imgedge_storage_calls_seconds_count", "operation=\"commit\",outcome=\"ok\"")).isEqualTo(3.0);
    assertThat(scrape).contains("\njvm_memory_used_bytes{", "\njvm_gc_", "\njvm_threads_live_threads ", "\nprocess_cpu_usage ", "\nprocess_cpu_seconds_total ",
        "\nprocess_files_open_files ", "\nprocess_uptime_seconds ", "\nvertx_pool_", "\nvertx_eventbus_");
    assertThat(scrape).containsPattern("\nvertx_\\w+\\{[^}]*(sql|pg)");
    assertThat(scrape).containsPattern("\nvertx_\\w+\\{[^}]*redis");
    // figures of the shared database, the same on every node: labelled so no one sums them
    assertThat(scrape).containsPattern("\nimgedge_analysis_images\\{scope=\"cluster\",status=\"pending\"} ");
  }

  @Test
  @DisplayName("nginx answers /metrics 404 to the public; the node still serves it to the operator")
  void nginxDoesNotServeMetrics() throws Exception {
    try (NginxServer nginx = NginxServer.start(service.port(), Ports.free())) {
      for (String path : List.of("/metrics", "//metrics", "/metrics/", "/metrics?x=1", "/./metrics")) {
        assertThat(get(URI.create("http://127.0.0.1:" + nginx.port() + path)).statusCode()).as(path).isEqualTo(404);
      }
      assertThat(get(URI.create("http://127.0.0.1:" + nginx.port() + "/health/live")).statusCode()).isEqualTo(200);
    }
    assertThat(get(service.uri("/metrics")).statusCode()).isEqualTo(200);
  }

  /** The value of the one series of {@code name} whose labels contain {@code labels}. */
  private static double value(String name, String labels) {
    Matcher m = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$", Pattern.MULTILINE).matcher(scrape);
    List<Double> found = new ArrayList<>();
    while (m.find()) {
      if (m.group(1).contains(labels)) {
        found.add(Double.parseDouble(m.group(2)));
      }
    }
    assertThat(found).as(name + "{" + labels + "}").hasSize(1);
    return found.get(0);
  }

  /** Prometheus's histogram_quantile: linear interpolation inside the bucket the rank falls in. */
  static double histogramQuantile(double q, Map<Double, Double> cumulative) {
    double total = cumulative.get(Double.POSITIVE_INFINITY);
    double rank = q * total;
    double lower = 0;
    double below = 0;
    for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
      if (b.getValue() >= rank) {
        if (b.getKey() == Double.POSITIVE_INFINITY) {
          return lower; // the highest finite bound, as Prometheus answers
        }
        return lower + (b.getKey() - lower) * (rank - below) / (b.getValue() - below);
      }
      lower = b.getKey();
      below = b.getValue();
    }
    throw new AssertionError("no +Inf bucket");
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] png(int width, int height) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
    return out.toByteArray();
  }
}
