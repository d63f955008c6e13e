package org.imgedge.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Backend;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.ServiceProcess;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator reads: the service's own lines, from the real process. In JSON every line of one
 * request carries its id, the lines written on the imaging worker's thread included; the time has its
 * date; start and stop say so once each; a port already taken is one line and leaves nothing behind.
 */
class LogLinesTest {

  private static final String ISO_TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d+Z";
  private static final Map<String, String> INFO = Map.of("TEST_LOG_LEVEL", "INFO");

  @TempDir
  Path storage;

  @Test
  void jsonLinesOfOneRequestAllCarryItsId() throws Exception {
    JsonObject json = new JsonObject().put("logging", new JsonObject().put("format", "json"));
    ServiceProcess service = ServiceProcess.start(storage, Backend.embedded(), json, INFO);
    // a JPEG cut short: the imaging worker, on a thread of its own, logs that it cannot decode it
    byte[] photo = Corpus.bytes(Corpus.file("photos", "nokia-lumia-800.jpg"));
    byte[] cut = Arrays.copyOf(photo, 4096);
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> upload = http.send(HttpRequest.newBuilder(service.uri("/v1/images"))
        .header("Authorization", "Bearer " + TestApp.ALICE).header("Content-Type", "image/jpeg")
        .header("X-Request-ID", "upload-cut-short-1")
        .POST(HttpRequest.BodyPublishers.ofByteArray(cut)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(422);
    HttpResponse<String> missing = http.send(HttpRequest.newBuilder(service.uri("/v1/images/nothing-here"))
        .header("Authorization", "Bearer " + TestApp.ALICE).header("X-Request-ID", "read-missing-2").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
    service.terminate();
    service.awaitExit(Duration.ofSeconds(30));

    List<JsonObject> lines = service.log().lines().filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
    assertThat(lines).allSatisfy(l -> assertThat(l.getString("@timestamp")).matches(ISO_TIME));
    List<JsonObject> uploadLines = lines.stream().filter(l -> "upload-cut-short-1".equals(l.getString("requestId"))).toList();
    assertThat(uploadLines).extracting(l -> l.getString("logger_name"))
        .as("the access line, and the worker's line about the picture it could not decode")
        .contains("imgedge.access", "org.imgedge.imaging.VariantPipeline");
    assertThat(uploadLines).filteredOn(l -> "imgedge.access".equals(l.getString("logger_name")))
        .singleElement().satisfies(l -> {
          assertThat(l.getString("level")).as("a client's mistake is not a warning").isEqualTo("INFO");
          assertThat(l.getString("message")).startsWith("POST /v1/images 422");
        });
    assertThat(uploadLines).filteredOn(l -> "org.imgedge.imaging.VariantPipeline".equals(l.getString("logger_name")))
        .allSatisfy(l -> assertThat(l.getString("thread_name")).startsWith("imaging"));
    assertThat(lines).filteredOn(l -> "read-missing-2".equals(l.getString("requestId"))).singleElement()
        .satisfies(l -> assertThat(l.getString("message")).contains("404"));
    // lines outside any request carry no stale id from the last request the thread served
    assertThat(lines).filteredOn(l -> l.getString("message").startsWith("imgedge stop"))
        .hasSize(2).allSatisfy(l -> assertThat(l.getString("requestId")).isNull());
    assertThat(lines).extracting(l -> l.getString("message"))
        .filteredOn(m -> m.startsWith("imgedge listening on 127.0.0.1:" + service.port() + " (node ")).hasSize(1);
    assertThat(lines).extracting(l -> l.getString("message"))
        .filteredOn(m -> m.startsWith("imgedge drain over after ") && m.endsWith("every request answered")).hasSize(1);
  }

  @Test
  void textLinesHaveTheDateAndTheRequestId() throws Exception {
    ServiceProcess service = ServiceProcess.start(storage, Backend.embedded(), new JsonObject(), INFO);
    HttpResponse<String> missing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(service.uri("/v1/nowhere"))
        .header("X-Request-ID", "text-404").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
    service.terminate();
    service.awaitExit(Duration.ofSeconds(30));
    List<String> lines = service.log().lines().filter(l -> l.matches(ISO_TIME + " .*")).toList();
    assertThat(lines).anyMatch(l -> l.contains("imgedge listening on"));
    assertThat(lines).filteredOn(l -> l.contains("[text-404]")).singleElement()
        .satisfies(l -> assertThat(l).matches(ISO_TIME + " INFO  imgedge.access \\[text-404\\] - GET unmatched 404 .*"));
  }

  @Test
  void aPortInUseIsOneLineAndLeavesNothingBehind() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      Path data = storage.resolve("data");
      Path config = Files.writeString(storage.resolve("config.json"), new JsonObject()
          .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
          .put("storage", new JsonObject().put("dir", data.toString())).encode());
      Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "org.imgedge.app.Main", "-conf", config.toString())
          .redirectErrorStream(true).start();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String output = new String(process.getInputStream().readAllBytes());
      assertThat(process.exitValue()).as(output).isEqualTo(1);
      assertThat(output.lines().filter(l -> !l.isBlank()).toList()).as(output).singleElement()
          .asString().contains("cannot start").contains("127.0.0.1:" + port);
      assertThat(data).as("nothing written: no keys, no node id, no database").doesNotExist();
    }
  }

}
