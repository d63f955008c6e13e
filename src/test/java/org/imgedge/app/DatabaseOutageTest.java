package org.imgedge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Backend;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.PostgresServer;
import org.imgedge.testing.Problems;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.Traffic;
import org.imgedge.testing.Traffic.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PostgreSQL stops under load and comes back: uploads are refused quickly with 503 and Retry-After
 * (never a hang, never a 500), cached variants keep being served, readiness reports the database, and
 * uploads work again once PostgreSQL is back, without restarting the service. The database is a
 * private cluster of this test, so stopping it disturbs nobody else.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DatabaseOutageTest {

  /** "Never hangs": an upload during the outage is answered within this. */
  private static final Duration ANSWER_BOUND = Duration.ofSeconds(5);
  private static PostgresServer postgres;
  private static Backend backend;
  private static Vertx vertx;
  private static TestApp app;
  private static final List<String> variantUrls = new ArrayList<>();
  private static int imageRange;

  @BeforeAll
  static void start() throws Exception {
    postgres = PostgresServer.start();
    backend = Backend.production(postgres);
    vertx = Vertx.vertx();
    app = await(TestApp.start(vertx, new JsonObject(), backend));
    for (String name : List.of("landscape_1.jpg", "portrait_6.jpg")) {
      HttpResponse<Buffer> created = await(app.upload(TestApp.ALICE, Corpus.file("orientation", name)));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      JsonObject variants = created.bodyAsJsonObject().getJsonObject("variants");
      variantUrls.add(variants.getJsonObject("small").getString("url"));
      variantUrls.add(variants.getJsonObject("medium").getString("url"));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (app != null) {
        app.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } finally {
      if (backend != null) {
        backend.close();
      }
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  @ParameterizedTest(name = "pg_ctl stop -m {0}")
  @ValueSource(strings = {"fast", "immediate"})
  @DisplayName("uploads get 503 with Retry-After while PostgreSQL is down, cached reads stay 200, and uploads recover by themselves")
  void outage(String mode) throws Exception {
    imageRange += 10_000;
    Traffic traffic = Traffic.start(vertx, app, 3, variantUrls, 2, imageRange, 20);
    traffic.await("an upload succeeds before the outage", all -> count(all, o -> o.upload() && o.status() == 201) >= 1,
        Duration.ofSeconds(60));

    postgres.stopServer(mode);
    long down = System.nanoTime();
    List<Outcome> duringOutage = traffic.await("twenty uploads started after the stop are answered",
        all -> count(all, o -> o.upload() && o.startNanos() > down) >= 20, Duration.ofSeconds(60));
    HttpResponse<Buffer> ready = await(app.get("/health/ready", null).send());

    long startIssued = System.nanoTime();
    postgres.startServer();
    long accepting = System.nanoTime();
    List<Outcome> recovered = traffic.await("an upload started after PostgreSQL is back gets 201",
        all -> all.stream().anyMatch(o -> o.upload() && o.startNanos() > accepting && o.status() == 201),
        Duration.ofSeconds(60));
    List<Outcome> all = traffic.stop(Duration.ofSeconds(30));

    long firstCreated = recovered.stream().filter(o -> o.upload() && o.startNanos() > accepting && o.status() == 201)
        .mapToLong(Outcome::endNanos).min().orElseThrow();
    List<Outcome> refused = duringOutage.stream().filter(o -> o.upload() && o.startNanos() > down).toList();
    System.out.printf("[outage -m %s] %d uploads during the outage, slowest answer %.3f s; PostgreSQL start took %.2f s; "
            + "first 201 %.2f s after PostgreSQL accepted connections (%.2f s after pg_ctl start); %d variant reads, all statuses %s%n",
        mode, refused.size(), refused.stream().mapToDouble(Outcome::seconds).max().orElse(0),
        (accepting - startIssued) / 1e9, (firstCreated - accepting) / 1e9, (firstCreated - startIssued) / 1e9,
        count(all, o -> !o.upload()), all.stream().filter(o -> !o.upload()).map(Outcome::status).distinct().toList());

    for (Outcome o : refused) {
      assertThat(o.status()).as("upload during the outage: %s", o.body()).isEqualTo(503);
      assertThat(o.contentType()).startsWith("application/problem+json");
      assertThat(new JsonObject(o.body()).getString("type")).isEqualTo("urn:imgedge:error:unavailable");
      assertThat(o.retryAfter()).as("Retry-After").matches("\\d+");
    }
    for (Outcome o : all) {
      assertThat(o.seconds()).as("answered within %s, not hung: %s", ANSWER_BOUND, o).isLessThan(ANSWER_BOUND.toMillis() / 1000.0);
      if (o.upload()) {
        // uploads in flight at the moment of the stop may still have made it, or been refused
        assertThat(o.status()).as("upload: %s", o.body()).isIn(200, 201, 503);
      } else {
        assertThat(o.status()).as("a cached variant read").isEqualTo(200);
      }
    }
    JsonObject notReady = Problems.assertProblem(ready, 503);
    assertThat(notReady.getString("detail")).contains("database");

    // nothing half-stored: every row has its three blobs, every blob a row, and staging is empty
    assertThat(app.stored().blobFiles()).hasSize((int) app.stored().rows() * 3);
    await(app.stored().stagingDrained(vertx, 250));
  }

  private static long count(List<Outcome> outcomes, java.util.function.Predicate<Outcome> p) {
    return outcomes.stream().filter(p).count();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
