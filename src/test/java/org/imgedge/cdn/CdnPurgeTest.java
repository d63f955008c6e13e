package org.imgedge.cdn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import org.imgedge.http.UrlSignature;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.NginxServer;
import org.imgedge.testing.Ports;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The repository's nginx configuration, with Debian's purge module, in front of a node: a delete must
 * take the photo out of the CDN's cache, under every URL the API handed out, also when the purge target
 * was down at the time of the delete.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CdnPurgeTest {

  private static final String NEW_KEY = "signing-key-new-0123456789";
  private static final String OLD_KEY = "signing-key-old-0123456789";
  private static final java.net.http.HttpClient HTTP =
      java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Vertx vertx;
  private TestApp app;
  private NginxServer nginx;
  /** Between the node and nginx's purge server: closed, it plays a purge target that is down. */
  private HttpServer gate;
  private int gatePort;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    gatePort = Ports.free();
    JsonObject config = new JsonObject()
        .put("urls", new JsonObject().put("signingKeys", new JsonArray().add(NEW_KEY).add(OLD_KEY)))
        .put("cdn", new JsonObject().put("purge", new JsonArray().add(new JsonObject()
            .put("method", "PURGE").put("url", "http://127.0.0.1:" + gatePort + "/purge{path}"))));
    app = TestApp.start(vertx, config).await();
    nginx = NginxServer.start(app.port(), Ports.free());
    openGate();
  }

  @AfterEach
  void stop() throws Exception {
    if (nginx != null) {
      nginx.close();
    }
    TestApp.closeWith(app, vertx);
  }

  @Test
  @DisplayName("DELETE through nginx: every variant URL nginx had cached is 404 through it within 2 s")
  void deleteReachesTheCache() throws Exception {
    String id = uploadThroughNginx();
    List<String> urls = cachedUrls(id);
    for (String url : urls) {
      assertThat(get(url)).as(url).extracting(HttpResponse::statusCode).isEqualTo(200);
      HttpResponse<byte[]> again = get(url);
      assertThat(again.headers().firstValue("X-Cache-Status")).as(url).hasValue("HIT");
      assertThat(again.headers().firstValue("Surrogate-Key")).hasValue("img-" + id);
      assertThat(again.headers().firstValue("Cache-Tag")).hasValue("img-" + id);
    }

    long start = System.nanoTime();
    assertThat(delete(id)).isEqualTo(204);
    long millis = awaitGone(urls, Duration.ofSeconds(2));
    System.out.printf("CdnPurgeTest: DELETE to 404 through nginx for %d URLs: %d ms%n", urls.size(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    assertThat(millis).isLessThanOrEqualTo(2_000);
  }

  @Test
  @DisplayName("a purge target down at the time of the delete gets its purges once it is back")
  void purgeOutlivesATargetOutage() throws Exception {
    String id = uploadThroughNginx();
    List<String> urls = cachedUrls(id);
    for (String url : urls) {
      get(url);
    }
    gate.close().await();

    assertThat(delete(id)).isEqualTo(204);
    awaitMetric("imgedge_cdn_purges_failing", n -> n >= urls.size()); // each URL at least once
    awaitMetric("imgedge_cdn_purge_calls_failed_total", n -> n >= urls.size());
    for (String url : urls) {
      // still served: this is what an outage of the purge target costs until it is back
      assertThat(get(url).headers().firstValue("X-Cache-Status")).as(url).hasValue("HIT");
    }

    openGate();
    long millis = awaitGone(urls, Duration.ofSeconds(20)); // the backoff is at most 4 s here
    System.out.printf("CdnPurgeTest: purge target back, 404 through nginx after %d ms%n", millis);
    awaitMetric("imgedge_cdn_purges_pending", n -> n == 0);
  }

  /** Every spelling of the variant URLs a phone may have been given: by name and versioned, signed under either key. */
  private List<String> cachedUrls(String id) throws Exception {
    JsonObject image = new JsonObject(new String(get("/v1/images/" + id, TestApp.ALICE).body()));
    List<String> urls = new ArrayList<>();
    for (String preset : List.of("small", "medium")) {
      String url = image.getJsonObject("variants").getJsonObject(preset).getString("url");
      String path = url.substring(0, url.indexOf('?'));
      urls.add(url);
      urls.add(path + "?sig=" + UrlSignature.create(List.of(NEW_KEY)).sign(path));
      urls.add(path + "?sig=" + UrlSignature.create(List.of(OLD_KEY)).sign(path) + "&utm_source=app");
    }
    return urls;
  }

  private String uploadThroughNginx() throws Exception {
    Path photo = Corpus.file("photos", "apple-iphone-4s.jpg");
    HttpResponse<byte[]> created = HTTP.send(HttpRequest.newBuilder(nginxUri("/v1/images"))
        .header("Authorization", "Bearer " + TestApp.ALICE).header("Content-Type", "image/jpeg")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(photo))).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(created.statusCode()).isIn(200, 201);
    return new JsonObject(new String(created.body())).getString("id");
  }

  private int delete(String id) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(nginxUri("/v1/images/" + id)).header("Authorization", "Bearer " + TestApp.ALICE)
        .DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** @return ms until every URL answered 404 through nginx, asked over and over; fails past {@code limit} */
  private long awaitGone(List<String> urls, Duration limit) throws Exception {
    long start = System.nanoTime();
    List<String> left = new ArrayList<>(urls);
    while (!left.isEmpty()) {
      left.removeIf(url -> {
        try {
          return get(url).statusCode() == 404;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      long elapsed = System.nanoTime() - start;
      assertThat(elapsed).as("still cached after %s: %s", limit, left).isLessThan(limit.toNanos() + 1);
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private void awaitMetric(String name, DoublePredicate expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String last = "";
    while (System.nanoTime() < deadline) {
      last = new String(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/metrics"))
          .header("Authorization", "Bearer " + TestApp.ADMIN).build(), HttpResponse.BodyHandlers.ofByteArray()).body());
      // figures of the shared outbox carry scope="cluster"; the node's own counters no label
      if (last.lines().anyMatch(l -> (l.startsWith(name + " ") || l.startsWith(name + "{scope=\"cluster\"} "))
          && expected.test(Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))))) {
        return;
      }
      vertx.timer(100).await();
    }
    throw new AssertionError(name + " never read as expected:\n" + last);
  }

  private HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
    return get(url, null);
  }

  private HttpResponse<byte[]> get(String url, String key) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(nginxUri(url));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private URI nginxUri(String path) {
    return URI.create("http://127.0.0.1:" + nginx.port() + path);
  }

  /** Forwards each purge to nginx's purge server, as a CDN's purge API would take it. */
  private void openGate() {
    HttpClient client = vertx.createHttpClient();
    gate = vertx.createHttpServer().requestHandler(in -> client.request(new RequestOptions().setMethod(in.method())
            .setHost("127.0.0.1").setPort(nginx.purgePort()).setURI(in.uri()))
        .compose(out -> out.send())
        .onSuccess(answer -> in.response().setStatusCode(answer.statusCode()).end())
        .onFailure(e -> in.response().setStatusCode(502).end()))
        .listen(gatePort, "127.0.0.1").await();
  }
}
