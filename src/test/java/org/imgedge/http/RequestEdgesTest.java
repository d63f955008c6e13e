package org.imgedge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imgedge.testing.RunningApp.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.imgedge.testing.GeneratedImages;
import org.imgedge.testing.TestApp;
import io.vertx.core.json.JsonObject;
import org.imgedge.testing.WithService;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests at the edges of HTTP: invented methods, methods a resource does not take, HEAD. */
@WithService
@Timeout(120)
class RequestEdgesTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  @DisplayName("10,000 requests with invented method tokens add no metrics series")
  void inventedMethodsAddNoSeries() throws Exception {
    // one invented method and one scrape first, so the series they add once exist before the count
    send("M-FIRST", "/x");
    series();
    long before = series();
    List<CompletableFuture<HttpResponse<Void>>> batch = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      batch.add(HTTP.sendAsync(request(String.format("M%07d", i), "/x"), HttpResponse.BodyHandlers.discarding()));
      if (batch.size() == 50) {
        for (CompletableFuture<HttpResponse<Void>> r : batch) {
          assertThat(r.join().statusCode()).isBetween(400, 499);
        }
        batch.clear();
      }
    }
    long after = series();
    System.out.printf("metrics series before 10,000 invented methods: %d, after: %d%n", before, after);
    assertThat(after).as("series after").isEqualTo(before);
  }

  @Test
  @DisplayName("405 names the methods the resource accepts, in Allow and in the problem")
  void methodNotAllowedSaysWhatIsAllowed() throws Exception {
    HttpResponse<String> r = HTTP.send(request("PUT", "/v1/images/0192f6c1-0000-7000-8000-000000000000"),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("DELETE, GET");
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(new JsonObject(r.body()).getString("detail")).contains("DELETE, GET");
  }

  @Test
  @DisplayName("HEAD on an original answers what GET answers, without the body")
  void headOnOriginal() throws Exception {
    String id = new JsonObject(service().uploadRaw(TestApp.ALICE, GeneratedImages.png(7), "image/png")
        .toCompletionStage().toCompletableFuture().get().bodyAsString()).getString("id");
    HttpResponse<byte[]> get = HTTP.send(HttpRequest.newBuilder(uri("/v1/images/" + id + "/original"))
        .header("Authorization", "Bearer " + TestApp.WORKER).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> head = HTTP.send(HttpRequest.newBuilder(uri("/v1/images/" + id + "/original"))
        .header("Authorization", "Bearer " + TestApp.WORKER).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(head.statusCode()).isEqualTo(get.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(get.body().length));
    assertThat(head.headers().firstValue("Content-Type")).isEqualTo(get.headers().firstValue("Content-Type"));
    assertThat(head.body()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"utf-7", "%%%", "\"\"", "x-no-such-charset"})
  @DisplayName("a multipart upload naming a charset Java does not know is 400, not 500")
  void unknownMultipartCharset(String charset) throws Exception {
    String body = "--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\nxx\r\n--b--\r\n";
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/v1/images"))
        .header("Authorization", "Bearer " + TestApp.ALICE)
        .header("Content-Type", "multipart/form-data; boundary=b; charset=" + charset)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getString("type")).isEqualTo("urn:imgedge:error:bad-request");
  }

  private static long series() throws Exception {
    HttpResponse<String> metrics = HTTP.send(request("GET", "/metrics"), HttpResponse.BodyHandlers.ofString());
    // the service's own series: the JVM's come and go on their own (a GC pause with a new cause is three)
    return metrics.body().lines().filter(l -> l.startsWith("http_") || l.startsWith("imgedge_")).count();
  }

  private static void send(String method, String path) throws Exception {
    HTTP.send(request(method, path), HttpResponse.BodyHandlers.discarding());
  }

  private static HttpRequest request(String method, String path) {
    return HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build();
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + service().port() + path);
  }
}
