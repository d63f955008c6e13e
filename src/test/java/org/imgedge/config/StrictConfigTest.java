package org.imgedge.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.imgedge.testing.Backend;
import org.imgedge.testing.Ports;
import org.imgedge.testing.Postgres;
import org.imgedge.testing.ServiceProcess;
import org.imgedge.testing.StallingProxy;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees when the configuration is wrong, from the real process: one line that names the
 * mistake, and exit status 1; and the {@code _FILE} variables of Docker secrets.
 */
class StrictConfigTest {

  private static final Duration EXIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @Test
  @DisplayName("an unknown key in the operator's file stops the start and names the closest known key")
  void unknownFileKey() throws Exception {
    assertFails(ServiceProcess.launch(dir, Backend.embedded(), new JsonObject()
            .put("redis", new JsonObject().put("ttl", 60)), Map.of()),
        "imgedge: cannot start: unknown key redis.ttl (did you mean redis.ttlSeconds?)");
    assertFails(ServiceProcess.launch(dir, Backend.embedded(), new JsonObject()
            .put("cache", new JsonObject().put("maxbytes", 1000)), Map.of()),
        "imgedge: cannot start: unknown key cache.maxbytes (did you mean cache.maxBytes?)");
    assertFails(ServiceProcess.launch(dir, Backend.embedded(), new JsonObject()
            .put("presets", new JsonObject().put("thumb", new JsonObject().put("box", 100).put("qualty", 80))), Map.of()),
        "imgedge: cannot start: unknown key presets.thumb.qualty (did you mean presets.thumb.quality?)");
  }

  @Test
  @DisplayName("an unknown IMGEDGE_* variable stops the start and names the closest known variable")
  void unknownVariable() throws Exception {
    assertFails(ServiceProcess.launch(dir, Backend.embedded(), new JsonObject(), Map.of("IMGEDGE_HTTP_PROT", "9000")),
        "imgedge: cannot start: unknown environment variable IMGEDGE_HTTP_PROT (did you mean IMGEDGE_HTTP_PORT?)");
  }

  @Test
  @DisplayName("a JSON syntax error names the file, the line and the column")
  void syntaxError() throws Exception {
    Path file = Files.writeString(dir.resolve("broken.json"), "{\n  \"http\": {\"port\": 8080,}\n}\n");
    assertFails(ServiceProcess.launch(dir, file, Map.of()), "imgedge: cannot start: " + file + ":2:25: Unexpected character ('}'");
  }

  @Test
  @DisplayName("a variable and its _FILE form both set, or a _FILE that cannot be read, stop the start without printing the secret")
  void fileVariableMistakes() throws Exception {
    String secret = "a-signing-key-of-forty-characters-long!!";
    Path file = Files.writeString(dir.resolve("jwt.key"), secret + "\n");
    ServiceProcess both = ServiceProcess.launch(dir, Backend.embedded(), new JsonObject(),
        Map.of("IMGEDGE_AUTH_JWT_SECRET", secret, "IMGEDGE_AUTH_JWT_SECRET_FILE", file.toString()));
    assertFails(both, "imgedge: cannot start: environment variables IMGEDGE_AUTH_JWT_SECRET and IMGEDGE_AUTH_JWT_SECRET_FILE "
        + "are both set; set one of them");
    assertThat(both.log()).doesNotContain(secret);
    Path missing = dir.resolve("no-such-secret");
    assertFails(ServiceProcess.launch(dir, Backend.embedded(), new JsonObject(), Map.of("IMGEDGE_AUTH_KEYS_FILE", missing.toString())),
        "imgedge: cannot start: environment variable IMGEDGE_AUTH_KEYS_FILE: cannot read " + missing + " (NoSuchFileException)");
  }

  @Test
  @DisplayName("IMGEDGE_AUTH_KEYS_FILE and IMGEDGE_HTTP_PORT_FILE are read from their files, as Docker secrets are")
  void fileVariablesUsed() throws Exception {
    String key = "key-from-a-docker-secret-file";
    Path keys = Files.writeString(dir.resolve("keys.json"), new JsonArray()
        .add(new JsonObject().put("key", key).put("subject", "carol").put("role", "client")).encode() + "\n");
    int port = Ports.free();
    Path portFile = Files.writeString(dir.resolve("port"), port + "\n");
    ServiceProcess service = ServiceProcess.launch(dir, Backend.embedded(), new JsonObject(),
        Map.of("IMGEDGE_AUTH_KEYS_FILE", keys.toString(), "IMGEDGE_HTTP_PORT_FILE", portFile.toString()));
    try {
      HttpClient client = HttpClient.newHttpClient();
      service.awaitReadyOn(port);
      HttpRequest.Builder list = HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v1/images"));
      assertThat(client.send(list.header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(200);
      assertThat(client.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v1/images"))
          .header("Authorization", "Bearer " + TestApp.ALICE).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).as("the file's keys replace the others").isEqualTo(401);
    } finally {
      service.kill();
    }
  }

  @Test
  @DisplayName("a PostgreSQL that never answers is tried again until startupWaitSeconds, then one line and exit 1")
  void databaseNeverUp() throws Exception {
    int closed = Ports.free();
    long started = System.nanoTime();
    ServiceProcess service = ServiceProcess.launch(dir, Backend.embedded(), new JsonObject().put("database", new JsonObject()
        .put("url", "postgresql://postgres@127.0.0.1:" + closed + "/imgedge").put("startupWaitSeconds", 2)), Map.of());
    assertThat(service.awaitExit(EXIT)).isEqualTo(1);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    String log = service.log();
    assertThat(log).contains("database 127.0.0.1:" + closed + "/imgedge not reachable (attempt 2, next in");
    assertThat(log.lines().filter(l -> l.startsWith("imgedge: cannot start:")).toList()).singleElement().asString()
        .startsWith("imgedge: cannot start: database 127.0.0.1:" + closed + "/imgedge not reachable after 2 s: Connection to 127.0.0.1:"
            + closed + " refused");
    assertThat(log).doesNotContain("\tat ").doesNotContain("FlywaySqlException");
    assertThat(took).as("2 s of waiting, and the JVM's start and stop").isLessThan(Duration.ofSeconds(20));
  }

  @Test
  @DisplayName("a PostgreSQL that comes up during the wait is used")
  void databaseComesUp() throws Exception {
    int port = Ports.free();
    Vertx vertx = Vertx.vertx();
    try (Postgres db = Postgres.freshDatabase()) {
      String url = db.url().replace("127.0.0.1:5432", "127.0.0.1:" + port);
      ServiceProcess service = ServiceProcess.launch(dir, Backend.embedded(), new JsonObject()
          .put("database", new JsonObject().put("url", url).put("startupWaitSeconds", 60)), Map.of());
      try {
        service.awaitLog("not reachable (attempt 1, ", Duration.ofSeconds(60));
        // The database appears only once the service has seen it missing.
        StallingProxy.start(vertx, port, 5432).toCompletionStage().toCompletableFuture().join();
        service.awaitReady();
        HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(service.uri("/v1/images"))
            .header("Authorization", "Bearer " + TestApp.ALICE).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
      } finally {
        service.kill();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private static void assertFails(ServiceProcess service, String firstLine) throws InterruptedException {
    assertThat(service.awaitExit(EXIT)).as(service.logTail()).isEqualTo(1);
    assertThat(service.log().lines().filter(l -> l.startsWith("imgedge:")).toList()).singleElement().asString().startsWith(firstLine);
  }
}
