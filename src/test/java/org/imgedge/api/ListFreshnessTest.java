package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.Poll;
import org.imgedge.testing.RunningApp;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A list that was just read (and so may be served from memory) shows every change at once: uploads,
 * deletes and each analysis status change, for the owner and for an admin; its ETag answers 304 until
 * something in it changes. Each test leaves no image claimable, because a claim takes the oldest one.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
class ListFreshnessTest {

  /** One attempt: a failure or an expired lease ends the analysis at once. */
  @RegisterExtension
  static final RunningApp app = new RunningApp(new JsonObject().put("jobs", new JsonObject().put("maxAttempts", 1)));

  @Test
  @DisplayName("upload, claim, complete and delete each show in the owner's and the admin's list at once")
  void everyChangeShowsAtOnce(VertxTestContext ctx) {
    String[] id = new String[1];
    lists() // read first, so that what follows would be served stale by a cache that missed a change
        .compose(v -> app.get().upload(TestApp.ALICE, Corpus.file("orientation", "landscape_2.jpg")).expecting(HttpResponseExpectation.SC_CREATED))
        .compose(created -> {
          id[0] = created.bodyAsJsonObject().getString("id");
          return expectStatus(id[0], "pending");
        })
        .compose(v -> claim())
        .compose(job -> expectStatus(id[0], "processing").compose(v -> post("/v1/jobs/" + job.getString("jobId") + "/complete",
            new JsonObject().put("result", new JsonObject().put("labels", List.of("tree"))))))
        .compose(v -> expectStatus(id[0], "done"))
        .compose(v -> find(TestApp.ALICE, id[0]))
        .compose(done -> {
          ctx.verify(() -> assertThat(done.orElseThrow().getJsonObject("analysis").getJsonObject("result").getJsonArray("labels"))
              .containsExactly("tree"));
          return app.get().request(HttpMethod.DELETE, "/v1/images/" + id[0], TestApp.ALICE).send().expecting(HttpResponseExpectation.SC_NO_CONTENT);
        })
        .compose(v -> Future.all(find(TestApp.ALICE, id[0]), find(TestApp.ADMIN, id[0])))
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          assertThat(after.<Optional<JsonObject>>resultAt(0)).as("owner's list after the delete").isEmpty();
          assertThat(after.<Optional<JsonObject>>resultAt(1)).as("admin's list after the delete").isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a failed job and a lease that expired on the last attempt show as failed with their error")
  void failuresShowAtOnce(Vertx vertx, VertxTestContext ctx) {
    String[] ids = new String[2];
    app.get().upload(TestApp.BOB, Corpus.file("orientation", "portrait_2.jpg")).expecting(HttpResponseExpectation.SC_CREATED)
        .compose(created -> {
          ids[0] = created.bodyAsJsonObject().getString("id");
          return lists().compose(v -> claim());
        })
        .compose(job -> post("/v1/jobs/" + job.getString("jobId") + "/fail", new JsonObject().put("error", "model crashed")))
        .compose(v -> find(TestApp.BOB, ids[0]))
        .compose(failed -> {
          ctx.verify(() -> {
            assertThat(failed.orElseThrow().getJsonObject("analysis").getString("status")).isEqualTo("failed");
            assertThat(failed.orElseThrow().getJsonObject("analysis").getString("error")).isEqualTo("model crashed");
          });
          return app.get().upload(TestApp.BOB, Corpus.file("orientation", "portrait_3.jpg")).expecting(HttpResponseExpectation.SC_CREATED);
        })
        .compose(created -> {
          ids[1] = created.bodyAsJsonObject().getString("id");
          return app.get().request(HttpMethod.POST, "/v1/jobs/claim", TestApp.WORKER).sendJsonObject(new JsonObject().put("leaseSeconds", 1))
              .expecting(HttpResponseExpectation.SC_OK);
        })
        .compose(claimed -> expectStatus(ids[1], "processing"))
        // the stats read gives up on leases that expired on their last attempt; the list must show it
        .compose(v -> Poll.until(vertx, () -> app.get().get("/v1/jobs/stats", TestApp.WORKER).send()
                .compose(stats -> find(TestApp.BOB, ids[1]))
                .map(image -> image.map(i -> "failed".equals(i.getJsonObject("analysis").getString("status"))).orElse(false)),
            Duration.ofMillis(100), Duration.ofSeconds(20), "the condition did not hold within the deadline"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the list's ETag answers 304 with no body while nothing changed, and 200 with a new ETag after an upload")
  void etagRevalidation(VertxTestContext ctx) {
    String uri = "/v1/images?limit=10";
    app.get().get(uri, TestApp.ALICE).send().expecting(HttpResponseExpectation.SC_OK)
        .compose(first -> app.get().get(uri, TestApp.ALICE).putHeader("If-None-Match", first.getHeader("ETag")).send()
            .compose(unchanged -> {
              ctx.verify(() -> {
                assertThat(first.getHeader("ETag")).startsWith("\"").endsWith("\"").hasSizeGreaterThan(2);
                assertThat(first.getHeader("Cache-Control")).isEqualTo("private, no-cache");
                assertThat(unchanged.statusCode()).isEqualTo(304);
                assertThat(unchanged.body()).isNull();
                assertThat(unchanged.getHeader("ETag")).isEqualTo(first.getHeader("ETag"));
              });
              return app.get().upload(TestApp.ALICE, Corpus.file("orientation", "landscape_4.jpg")).expecting(HttpResponseExpectation.SC_CREATED);
            })
            .compose(created -> app.get().get(uri, TestApp.ALICE).putHeader("If-None-Match", first.getHeader("ETag")).send()
                .map(changed -> {
                  ctx.verify(() -> {
                    assertThat(changed.statusCode()).isEqualTo(200);
                    assertThat(changed.getHeader("ETag")).isNotEqualTo(first.getHeader("ETag"));
                    assertThat(ids(changed)).contains(created.bodyAsJsonObject().getString("id"));
                  });
                  return created.bodyAsJsonObject().getString("id");
                })))
        // leave nothing claimable for the other tests
        .compose(id -> app.get().request(HttpMethod.DELETE, "/v1/images/" + id, TestApp.ALICE).send().expecting(HttpResponseExpectation.SC_NO_CONTENT))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Reads Alice's, Bob's and the admin's first pages, as {@link #find} asks for them. */
  private static Future<Void> lists() {
    return Future.all(find(TestApp.ALICE, "none"), find(TestApp.BOB, "none"), find(TestApp.ADMIN, "none")).mapEmpty();
  }

  private static Future<JsonObject> claim() {
    return app.get().request(HttpMethod.POST, "/v1/jobs/claim", TestApp.WORKER).sendJsonObject(new JsonObject())
        .expecting(HttpResponseExpectation.SC_OK).map(HttpResponse::bodyAsJsonObject);
  }

  private static Future<Void> post(String uri, JsonObject body) {
    return app.get().request(HttpMethod.POST, uri, TestApp.WORKER).sendJsonObject(body)
        .expecting(HttpResponseExpectation.SC_NO_CONTENT).mapEmpty();
  }

  /** Both the owner's list (Alice's or Bob's) and the admin's show the image with this analysis status. */
  private static Future<Void> expectStatus(String id, String status) {
    return Future.all(find(TestApp.ALICE, id), find(TestApp.BOB, id), find(TestApp.ADMIN, id)).compose(found -> {
      Optional<JsonObject> owner = found.<Optional<JsonObject>>resultAt(0).or(() -> found.resultAt(1));
      Optional<JsonObject> admin = found.resultAt(2);
      if (owner.isEmpty() || admin.isEmpty()) {
        return Future.failedFuture("image " + id + " missing from a list: owner " + owner.isPresent() + ", admin " + admin.isPresent());
      }
      String ownerSees = owner.get().getJsonObject("analysis").getString("status");
      String adminSees = admin.get().getJsonObject("analysis").getString("status");
      return ownerSees.equals(status) && adminSees.equals(status) ? Future.succeededFuture()
          : Future.failedFuture("expected " + status + ", owner's list says " + ownerSees + ", admin's says " + adminSees);
    });
  }

  /** The image as this key's first page lists it, or empty when it is not listed. */
  private static Future<Optional<JsonObject>> find(String key, String id) {
    return app.get().get("/v1/images?limit=200", key).send().expecting(HttpResponseExpectation.SC_OK)
        .map(r -> r.bodyAsJsonObject().getJsonArray("items").stream().map(JsonObject.class::cast)
            .filter(i -> i.getString("id").equals(id)).findFirst());
  }

  private static List<String> ids(HttpResponse<Buffer> page) {
    return page.bodyAsJsonObject().getJsonArray("items").stream().map(JsonObject.class::cast).map(i -> i.getString("id")).toList();
  }
}
