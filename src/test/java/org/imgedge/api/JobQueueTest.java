package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.imgedge.testing.GeneratedImages;
import org.imgedge.testing.Problems;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The AI work queue over HTTP: claims under leases, completion, failure and retries, as API.md describes. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
class JobQueueTest {

  private static final int IMAGES = 200;
  private static final int WORKERS = 8;

  private TestApp app;

  @AfterEach
  void stop(VertxTestContext ctx) {
    (app == null ? Future.succeededFuture() : app.close()).onComplete(ctx.succeedingThenComplete());
  }

  /**
   * Starts this test's app (closed by {@link #stop}) and has Alice upload {@code count} generated PNGs from
   * index {@code first}, {@code lanes} at a time.
   *
   * @return the image ids, in index order
   */
  private Future<List<String>> startWithImages(Vertx vertx, JsonObject config, int first, int count, int lanes) {
    return TestApp.start(vertx, config).compose(a -> {
      app = a;
      return GeneratedImages.upload(app, TestApp.ALICE, first, count, lanes);
    });
  }

  @Test
  @DisplayName("8 concurrent workers analyse 200 uploads: each image exactly once, by one claim, then the queue answers 204")
  void concurrentWorkersAnalyseEveryImageOnce(Vertx vertx, VertxTestContext ctx) {
    Map<String, List<String>> claimsByImage = new ConcurrentHashMap<>();
    Map<String, String> workerByJob = new ConcurrentHashMap<>();
    AtomicInteger completions = new AtomicInteger();
    startWithImages(vertx, new JsonObject(), 0, IMAGES, 4)
        .compose(ids -> app.get("/v1/jobs/stats", TestApp.WORKER).send().expecting(HttpResponseExpectation.SC_OK)
            .compose(stats -> app.get("/metrics", null).send().map(metrics -> {
              ctx.verify(() -> {
                assertThat(stats.bodyAsJsonObject().getLong("pending")).as("every upload is enqueued").isEqualTo(IMAGES);
                assertThat(metrics.bodyAsString()).contains("imgedge_analysis_images{scope=\"cluster\",status=\"pending\"} " + IMAGES + ".0");
              });
              return ids;
            })))
        .compose(ids -> {
          List<Future<Integer>> workers = new ArrayList<>();
          for (int w = 0; w < WORKERS; w++) {
            workers.add(work("worker-" + w, 0, claimsByImage, workerByJob, completions));
          }
          return Future.all(workers).map(ids);
        })
        .compose(ids -> app.get("/v1/images?limit=200", TestApp.ADMIN).send().expecting(HttpResponseExpectation.SC_OK)
            .compose(list -> app.get("/v1/jobs/stats", TestApp.ADMIN).send().expecting(HttpResponseExpectation.SC_OK)
                .map(stats -> {
                  ctx.verify(() -> {
                    assertThat(completions.get()).as("completions").isEqualTo(IMAGES);
                    assertThat(claimsByImage.keySet()).containsExactlyInAnyOrderElementsOf(ids);
                    assertThat(claimsByImage.values()).as("one claim per image").allSatisfy(jobs -> assertThat(jobs).hasSize(1));
                    JsonArray items = list.bodyAsJsonObject().getJsonArray("items");
                    assertThat(items).hasSize(IMAGES);
                    for (Object o : items) {
                      JsonObject image = (JsonObject) o;
                      JsonObject analysis = image.getJsonObject("analysis");
                      String job = claimsByImage.get(image.getString("id")).get(0);
                      assertThat(analysis.getString("status")).isEqualTo("done");
                      assertThat(analysis.getJsonObject("result"))
                          .isEqualTo(new JsonObject().put("jobId", job).put("worker", workerByJob.get(job)));
                    }
                    JsonObject figures = stats.bodyAsJsonObject();
                    assertThat(figures.getLong("done")).isEqualTo(IMAGES);
                    assertThat(figures.getLong("pending") + figures.getLong("processing") + figures.getLong("failed")).isZero();
                    assertThat(figures.getLong("oldestPendingAgeSeconds")).isZero();
                  });
                  return stats;
                })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a lease that runs out makes the image claimable again: the old job id then gets 409, the new one 204")
  void expiredLeaseIsReclaimed(Vertx vertx, VertxTestContext ctx) {
    startWithImages(vertx, new JsonObject(), 7, 1, 1)
        .compose(ids -> claim(1).expecting(HttpResponseExpectation.SC_OK).map(first -> {
          JsonObject job = first.bodyAsJsonObject();
          ctx.verify(() -> {
            assertThat(job.getString("imageId")).isEqualTo(ids.get(0));
            assertThat(job.getInteger("attempt")).isEqualTo(1);
            assertThat(job.getString("originalUrl")).isEqualTo("/v1/images/" + ids.get(0) + "/original");
            assertThat(Instant.parse(job.getString("leaseExpiresAt"))).isAfter(Instant.now().minusSeconds(5));
          });
          return job;
        }))
        .compose(first -> claimAfterLeaseRunsOut(vertx, 40).map(second -> List.of(first, second.bodyAsJsonObject())))
        .compose(jobs -> {
          JsonObject first = jobs.get(0);
          JsonObject second = jobs.get(1);
          ctx.verify(() -> {
            assertThat(second.getString("imageId")).isEqualTo(first.getString("imageId"));
            assertThat(second.getString("jobId")).isNotEqualTo(first.getString("jobId"));
            assertThat(second.getInteger("attempt")).isEqualTo(2);
          });
          return complete(first.getString("jobId"), "late").map(stale -> {
            ctx.verify(() -> assertThat(Problems.assertProblem(stale, 409).getString("type")).isEqualTo("urn:imgedge:error:conflict"));
            return second;
          });
        })
        .compose(second -> complete(second.getString("jobId"), "on time").expecting(HttpResponseExpectation.SC_NO_CONTENT)
            .compose(done -> complete(second.getString("jobId"), "twice"))
            .map(twice -> {
              ctx.verify(() -> Problems.assertProblem(twice, 409));
              return second;
            }))
        .compose(second -> app.get("/v1/images/" + second.getString("imageId"), TestApp.ALICE).send()
            .expecting(HttpResponseExpectation.SC_OK))
        .onComplete(ctx.succeeding(image -> ctx.verify(() -> {
          assertThat(image.bodyAsJsonObject().getJsonObject("analysis"))
              .isEqualTo(new JsonObject().put("status", "done").put("result", new JsonObject().put("worker", "on time")));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a job failed maxAttempts times ends as analysis.status=failed with the last error, and is not claimed again")
  void failedJobsAreRetriedThenGivenUp(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = new JsonObject().put("jobs", new JsonObject().put("maxAttempts", 3).put("backoffSeconds", 0));
    startWithImages(vertx, config, 11, 1, 1)
        .compose(ids -> claimAndFail(1).compose(v -> image(ids.get(0))).map(image -> {
          ctx.verify(() -> assertThat(image.getJsonObject("analysis"))
              .isEqualTo(new JsonObject().put("status", "pending").put("error", "boom 1")));
          return ids.get(0);
        }))
        .compose(id -> claimAndFail(2).compose(v -> claimAndFail(3)).compose(v -> image(id)))
        .compose(image -> claim(60).map(none -> {
          ctx.verify(() -> {
            assertThat(image.getJsonObject("analysis")).isEqualTo(new JsonObject().put("status", "failed").put("error", "boom 3"));
            assertThat(none.statusCode()).as("a failed image is not claimed again").isEqualTo(204);
          });
          return none;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a lease that expires on the last allowed attempt ends the job: failed, not claimed again, its id stale")
  void expiryOnTheLastAttemptGivesUp(Vertx vertx, VertxTestContext ctx) {
    startWithImages(vertx, new JsonObject().put("jobs", new JsonObject().put("maxAttempts", 1)), 13, 1, 1)
        .compose(ids -> claim(1).expecting(HttpResponseExpectation.SC_OK)
            .compose(job -> statsOnceFailed(vertx, 40)
                .compose(stats -> image(ids.get(0)))
                .compose(image -> claim(1).map(none -> {
                  ctx.verify(() -> {
                    assertThat(image.getJsonObject("analysis").getString("status")).isEqualTo("failed");
                    assertThat(image.getJsonObject("analysis").getString("error")).contains("expired");
                    assertThat(none.statusCode()).isEqualTo(204);
                  });
                  return job.bodyAsJsonObject().getString("jobId");
                }))))
        .compose(jobId -> complete(jobId, "too late"))
        .onComplete(Problems.expectProblem(ctx, 409));
  }

  @Test
  @DisplayName("after a failure the image waits out the backoff before it can be claimed again")
  void backoffDelaysTheRetry(Vertx vertx, VertxTestContext ctx) {
    startWithImages(vertx, new JsonObject(), 12, 1, 1)
        .compose(ids -> claimAndFail(1))
        .compose(v -> claim(60))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).as("default backoff is 10 s").isEqualTo(204);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("job routes need a worker or admin key; bad bodies are 400; unknown job ids are 404")
  void rolesAndValidation(Vertx vertx, VertxTestContext ctx) {
    String unknown = "/v1/jobs/0192f6c1-0000-7000-8000-000000000000";
    Map<String, Integer> expected = new java.util.LinkedHashMap<>();
    TestApp.start(vertx).onComplete(ctx.succeeding(a -> {
      app = a;
      List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
      answers.add(post("/v1/jobs/claim", TestApp.ALICE, new JsonObject()));
      expected.put("client claims", 403);
      answers.add(post("/v1/jobs/claim", null, new JsonObject()));
      expected.put("no key", 401);
      answers.add(app.get("/v1/jobs/stats", TestApp.BOB).send());
      expected.put("client reads stats", 403);
      answers.add(post(unknown + "/complete", TestApp.ALICE, new JsonObject().put("result", new JsonObject())));
      expected.put("client completes", 403);
      answers.add(post("/v1/jobs/claim", TestApp.WORKER, new JsonObject().put("leaseSeconds", 0)));
      expected.put("lease 0", 400);
      answers.add(post("/v1/jobs/claim", TestApp.WORKER, new JsonObject().put("leaseSeconds", 3601)));
      expected.put("lease 3601", 400);
      answers.add(post("/v1/jobs/claim", TestApp.WORKER, new JsonObject().put("leaseSeconds", "ten")));
      expected.put("lease text", 400);
      answers.add(app.request(HttpMethod.POST, "/v1/jobs/claim", TestApp.WORKER).sendBuffer(Buffer.buffer("{not json")));
      expected.put("broken JSON", 400);
      answers.add(post(unknown + "/complete", TestApp.WORKER, new JsonObject().put("result", "text")));
      expected.put("result not an object", 400);
      answers.add(post(unknown + "/fail", TestApp.WORKER, new JsonObject()));
      expected.put("no error", 400);
      answers.add(post(unknown + "/complete", TestApp.ADMIN, new JsonObject().put("result", new JsonObject())));
      expected.put("unknown job, complete", 404);
      answers.add(post(unknown + "/fail", TestApp.WORKER, new JsonObject().put("error", "x")));
      expected.put("unknown job, fail", 404);
      answers.add(post("/v1/jobs/not-a-job/complete", TestApp.WORKER, new JsonObject().put("result", new JsonObject())));
      expected.put("malformed job id", 404);
      List<String> names = List.copyOf(expected.keySet());
      Future.all(answers).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (int i = 0; i < names.size(); i++) {
          HttpResponse<Buffer> r = all.resultAt(i);
          assertThat(r.statusCode()).as(names.get(i)).isEqualTo(expected.get(names.get(i)));
          Problems.assertProblem(r);
        }
        ctx.completeNow();
      })));
    }));
  }

  /** One worker: claim, complete, until the queue answers 204. @return how many it completed */
  private Future<Integer> work(String worker, int done, Map<String, List<String>> claimsByImage, Map<String, String> workerByJob,
      AtomicInteger completions) {
    return claim(300).compose(r -> {
      if (r.statusCode() == 204) {
        return Future.succeededFuture(done);
      }
      if (r.statusCode() != 200) {
        return Future.failedFuture(worker + " claim: " + r.statusCode() + " " + r.bodyAsString());
      }
      JsonObject job = r.bodyAsJsonObject();
      String jobId = job.getString("jobId");
      claimsByImage.computeIfAbsent(job.getString("imageId"), k -> new CopyOnWriteArrayList<>()).add(jobId);
      workerByJob.put(jobId, worker);
      JsonObject result = new JsonObject().put("result", new JsonObject().put("jobId", jobId).put("worker", worker));
      return post("/v1/jobs/" + jobId + "/complete", TestApp.WORKER, result).expecting(HttpResponseExpectation.SC_NO_CONTENT)
          .compose(v -> {
            completions.incrementAndGet();
            return work(worker, done + 1, claimsByImage, workerByJob, completions);
          });
    });
  }

  /**
   * Claims until the lease of the one claimed image has run out. This waits for a real deadline on
   * Vert.x timers (the lease is 1 s), checking again every 250 ms; it asserts nothing about timing.
   */
  private Future<HttpResponse<Buffer>> claimAfterLeaseRunsOut(Vertx vertx, int triesLeft) {
    Promise<Long> tick = Promise.promise();
    vertx.setTimer(250, tick::complete);
    return tick.future().compose(t -> claim(1)).compose(r -> {
      if (r.statusCode() == 200 || triesLeft == 0) {
        return Future.succeededFuture(r).expecting(HttpResponseExpectation.SC_OK);
      }
      return claimAfterLeaseRunsOut(vertx, triesLeft - 1);
    });
  }

  /** Reads the stats (which give up on expired last attempts) every 250 ms until one image has failed. */
  private Future<JsonObject> statsOnceFailed(Vertx vertx, int triesLeft) {
    Promise<Long> tick = Promise.promise();
    vertx.setTimer(250, tick::complete);
    return tick.future().compose(t -> app.get("/v1/jobs/stats", TestApp.ADMIN).send().expecting(HttpResponseExpectation.SC_OK))
        .compose(r -> {
          JsonObject stats = r.bodyAsJsonObject();
          if (stats.getLong("failed") == 1 || triesLeft == 0) {
            return Future.succeededFuture(stats);
          }
          return statsOnceFailed(vertx, triesLeft - 1);
        });
  }

  private Future<Void> claimAndFail(int expectedAttempt) {
    return claim(60).expecting(HttpResponseExpectation.SC_OK).compose(r -> {
      JsonObject job = r.bodyAsJsonObject();
      if (job.getInteger("attempt") != expectedAttempt) {
        return Future.failedFuture("attempt " + job.getInteger("attempt") + ", expected " + expectedAttempt);
      }
      return post("/v1/jobs/" + job.getString("jobId") + "/fail", TestApp.WORKER,
          new JsonObject().put("error", "boom " + expectedAttempt)).expecting(HttpResponseExpectation.SC_NO_CONTENT).mapEmpty();
    });
  }

  private Future<JsonObject> image(String id) {
    return app.get("/v1/images/" + id, TestApp.ALICE).send().expecting(HttpResponseExpectation.SC_OK).map(HttpResponse::bodyAsJsonObject);
  }

  private Future<HttpResponse<Buffer>> claim(int leaseSeconds) {
    return post("/v1/jobs/claim", TestApp.WORKER, new JsonObject().put("leaseSeconds", leaseSeconds));
  }

  private Future<HttpResponse<Buffer>> complete(String jobId, String worker) {
    return post("/v1/jobs/" + jobId + "/complete", TestApp.WORKER, new JsonObject().put("result", new JsonObject().put("worker", worker)));
  }

  private Future<HttpResponse<Buffer>> post(String uri, String key, JsonObject body) {
    return app.request(HttpMethod.POST, uri, key).sendJsonObject(body);
  }
}
