package org.imgedge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.imgedge.testing.Storage;
import org.imgedge.testing.Backend;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.GeneratedImages;
import org.imgedge.testing.Poll;
import org.imgedge.testing.RedisServer;
import org.imgedge.testing.StallingProxy;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes of one deployment, each in a Vert.x of its own (nothing shared in memory, as two processes),
 * on one PostgreSQL database, one Redis and one S3 bucket.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
class MultiNodeTest {

  private static final Path PHOTO = Corpus.file("photos", "sony-d5403-xperia-z2.jpg");
  private static Backend backend;
  private static Vertx vertxA;
  private static Vertx vertxB;
  private static TestApp a;
  private static TestApp b;

  @BeforeAll
  static void start(VertxTestContext ctx) {
    backend = Backend.production();
    vertxA = Vertx.vertx();
    vertxB = Vertx.vertx();
    TestApp.start(vertxA, new JsonObject(), backend)
        .compose(app -> {
          a = app;
          return TestApp.start(vertxB, new JsonObject(), backend);
        })
        .onComplete(ctx.succeeding(app -> {
          b = app;
          ctx.completeNow();
        }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    Future.join(a.close(), b.close())
        .eventually(() -> Future.join(vertxA.close(), vertxB.close()))
        .onComplete(r -> {
          backend.close();
          ctx.completeNow();
        });
  }

  @Test
  @DisplayName("an image uploaded through one node is listed and served by the other")
  void crossNodeRead(Vertx vertx, VertxTestContext ctx) {
    Path file = Corpus.file("orientation", "landscape_3.jpg");
    a.upload(TestApp.ALICE, file)
        .compose(created -> {
          JsonObject image = created.bodyAsJsonObject();
          // B may hold Alice's list from another test: it learns of the upload by pub/sub, a moment later
          return poll(vertx, () -> listed(b, TestApp.ALICE, image.getString("id")).map(Optional::isPresent))
              .compose(listed -> b.get(image.getJsonObject("variants").getJsonObject("medium").getString("url"), null).send()
                  .map(variant -> {
                    ctx.verify(() -> {
                      assertThat(created.statusCode()).isEqualTo(201);
                      assertThat(variant.statusCode()).isEqualTo(200);
                      assertThat(variant.body().length()).isEqualTo(image.getJsonObject("variants").getJsonObject("medium").getLong("bytes").intValue());
                    });
                    return null;
                  }));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("lists that node B holds in memory show uploads, analysis results and deletes made through node A")
  void crossNodeListChanges(Vertx vertx, VertxTestContext ctx) {
    String[] id = new String[1];
    Future.all(listed(b, TestApp.BOB, "none"), listed(b, TestApp.ADMIN, "none")) // now in B's memory
        .compose(v -> a.upload(TestApp.BOB, Corpus.file("orientation", "portrait_6.jpg")))
        .compose(created -> {
          id[0] = created.bodyAsJsonObject().getString("id");
          return poll(vertx, () -> Future.all(listed(b, TestApp.BOB, id[0]), listed(b, TestApp.ADMIN, id[0]))
              .map(both -> both.<Optional<JsonObject>>resultAt(0).isPresent() && both.<Optional<JsonObject>>resultAt(1).isPresent()));
        })
        // finish this image's analysis through A (jobs may hold other tests' images: claim until it is this one)
        .compose(v -> analyseThroughA(id[0], 0))
        .compose(v -> poll(vertx, () -> listed(b, TestApp.BOB, id[0])
            .map(image -> image.map(i -> "done".equals(i.getJsonObject("analysis").getString("status"))).orElse(false))))
        .compose(v -> a.request(HttpMethod.DELETE, "/v1/images/" + id[0], TestApp.BOB).send())
        .compose(deleted -> poll(vertx, () -> Future.all(listed(b, TestApp.BOB, id[0]), listed(b, TestApp.ADMIN, id[0]))
            .map(both -> both.<Optional<JsonObject>>resultAt(0).isEmpty() && both.<Optional<JsonObject>>resultAt(1).isEmpty())))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Claims through node A and completes each job, until the one for {@code imageId} is done. */
  private static Future<Void> analyseThroughA(String imageId, int claims) {
    if (claims > 50) {
      return Future.failedFuture("the image was never claimed");
    }
    return a.request(HttpMethod.POST, "/v1/jobs/claim", TestApp.WORKER).sendJsonObject(new JsonObject())
        .compose(claim -> {
          if (claim.statusCode() != 200) {
            return Future.failedFuture("claim answered " + claim.statusCode());
          }
          JsonObject job = claim.bodyAsJsonObject();
          return a.request(HttpMethod.POST, "/v1/jobs/" + job.getString("jobId") + "/complete", TestApp.WORKER)
              .sendJsonObject(new JsonObject().put("result", new JsonObject().put("labels", List.of("x"))))
              .compose(done -> job.getString("imageId").equals(imageId) ? Future.succeededFuture() : analyseThroughA(imageId, claims + 1));
        });
  }

  /** The image as {@code key}'s first page on {@code node} lists it, or empty. */
  private static Future<Optional<JsonObject>> listed(TestApp node, String key, String id) {
    return node.get("/v1/images?limit=200", key).send()
        .map(r -> r.bodyAsJsonObject().getJsonArray("items").stream().map(JsonObject.class::cast)
            .filter(i -> i.getString("id").equals(id)).findFirst());
  }

  /** Asks until the condition holds, every 100 ms, for at most 20 s: pub/sub reaches the other node a moment later. */
  private static Future<Void> poll(Vertx vertx, Supplier<Future<Boolean>> condition) {
    return Poll.until(vertx, condition, Duration.ofMillis(100), Duration.ofSeconds(20),
        "the other node did not show the change within 20 s");
  }

  @Test
  @DisplayName("a delete through one node makes the other answer 404 as soon as it answered, for a variant the other had in memory")
  void crossNodeDelete(VertxTestContext ctx) {
    // Rounds, since pub/sub alone would lose this race only now and then: B answers within a few ms
    deleteRounds(ctx, 0, 20).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Void> deleteRounds(VertxTestContext ctx, int round, int rounds) {
    if (round == rounds) {
      return Future.succeededFuture();
    }
    Buffer photo = GeneratedImages.png(7000 + round); // new bytes each round: a new image
    return a.uploadRaw(TestApp.ALICE, photo, "image/png").compose(created -> {
      String id = created.bodyAsJsonObject().getString("id");
      String small = created.bodyAsJsonObject().getJsonObject("variants").getJsonObject("small").getString("url");
      return b.get(small, null).send() // now in B's memory
          .compose(cachedOnB -> a.request(HttpMethod.DELETE, "/v1/images/" + id, TestApp.ALICE).send()
              .compose(deleted -> b.get(small, null).send()
                  .compose(variantAfter -> b.get("/v1/images/" + id, TestApp.ALICE).send()
                      .map(imageAfter -> {
                        ctx.verify(() -> {
                          assertThat(cachedOnB.statusCode()).isEqualTo(200);
                          assertThat(deleted.statusCode()).isEqualTo(204);
                          assertThat(variantAfter.statusCode()).as("variant on the other node, round %d", round).isEqualTo(404);
                          assertThat(imageAfter.statusCode()).as("image on the other node").isEqualTo(404);
                          assertThat(a.stored().blobFiles(id)).isEmpty();
                        });
                        return null;
                      }))));
    }).compose(v -> deleteRounds(ctx, round + 1, rounds));
  }

  @Test
  @DisplayName("a node whose link to Redis stalls answers 404 for a variant it had in memory once a delete through another node answered")
  void deleteReachesANodeThatCannotHear(Vertx vertx, VertxTestContext ctx) {
    Vertx other = Vertx.vertx();
    StallingProxy.start(vertx, 6379).compose(proxy -> TestApp.start(other,
            new JsonObject().put("redis", new JsonObject().put("url", "redis://127.0.0.1:" + proxy.port())), backend)
        .compose(c -> a.uploadRaw(TestApp.ALICE, GeneratedImages.png(7100), "image/png").compose(created -> {
          String id = created.bodyAsJsonObject().getString("id");
          String small = created.bodyAsJsonObject().getJsonObject("variants").getJsonObject("small").getString("url");
          // until C answers from memory: it has heard its own heartbeat and trusts its memory
          return poll(vertx, () -> c.get(small, null).send().compose(r -> c.get("/metrics", TestApp.ADMIN).send())
                  .map(m -> m.bodyAsString().lines().anyMatch(l -> l.startsWith("imgedge_cache_hits_total{tier=\"memory\"}"))))
              .compose(v -> {
                proxy.stall();
                long start = System.nanoTime();
                return a.request(HttpMethod.DELETE, "/v1/images/" + id, TestApp.ALICE).send()
                    .compose(deleted -> c.get(small, null).send().map(after -> {
                      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                      System.out.printf("MultiNodeTest: DELETE with one node cut off from Redis answered in %d ms%n", millis);
                      ctx.verify(() -> {
                        assertThat(deleted.statusCode()).isEqualTo(204);
                        assertThat(after.statusCode()).as("the variant on the node that could not hear the delete").isEqualTo(404);
                      });
                      return null;
                    }));
              });
        }).eventually(() -> {
          proxy.resume();
          return c.close();
        }))
        .eventually(proxy::close))
        .eventually(other::close)
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("ten identical uploads, five through each node at once, make one image")
  void concurrentIdenticalUploadsThroughBothNodes(VertxTestContext ctx) {
    List<Future<HttpResponse<Buffer>>> uploads = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      uploads.add(a.upload(TestApp.BOB, PHOTO));
      uploads.add(b.upload(TestApp.BOB, PHOTO));
    }
    Future.all(uploads).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      List<Integer> statuses = uploads.stream().map(f -> f.result().statusCode()).sorted().toList();
      assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 200, 200, 200, 200, 201);
      assertThat(uploads.stream().map(f -> f.result().bodyAsJsonObject().getString("id")).distinct()).hasSize(1);
      String id = uploads.get(0).result().bodyAsJsonObject().getString("id");
      assertThat(a.stored().rowsWithSha(Corpus.sha256(PHOTO))).isEqualTo(1);
      assertThat(a.stored().blobFiles(id)).hasSize(Storage.BLOBS_PER_IMAGE);
      // the node that lost the race removed what it had stored: every blob belongs to a recorded image
      assertThat(a.stored().blobFiles()).hasSize(Storage.BLOBS_PER_IMAGE * (int) a.stored().rows());
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("variant reads keep answering 200 on both nodes while Redis is down, and readiness says degraded")
  void readsSurviveRedisOutage(Vertx vertx, VertxTestContext ctx) throws Exception {
    // No memory tier on the reading node: every read goes to Redis, then storage.
    JsonObject noMemory = new JsonObject().put("cache", new JsonObject().put("maxBytes", 0));
    onOwnRedis(vertx, noMemory, (redis, writer, reader) -> writer.upload(TestApp.ALICE, Corpus.file("orientation", "landscape_6.jpg"))
        .compose(created -> {
          String url = created.bodyAsJsonObject().getJsonObject("variants").getJsonObject("small").getString("url");
          return reader.get(url, null).send()
              .compose(before -> closeBlocking(vertx, redis)) // killed, as in a crash
              .compose(v -> Future.all(reader.get(url, null).send(), writer.get(url, null).send(),
                  reader.get("/health/ready", null).send(),
                  writer.upload(TestApp.ALICE, Corpus.file("orientation", "landscape_7.jpg"))))
              .map(after -> {
                ctx.verify(() -> {
                  HttpResponse<Buffer> readerAfter = after.resultAt(0);
                  HttpResponse<Buffer> writerAfter = after.resultAt(1);
                  HttpResponse<Buffer> ready = after.resultAt(2);
                  HttpResponse<Buffer> upload = after.resultAt(3);
                  assertThat(readerAfter.statusCode()).isEqualTo(200);
                  assertThat(writerAfter.statusCode()).isEqualTo(200);
                  assertThat(readerAfter.body().length()).isEqualTo(writerAfter.body().length());
                  assertThat(ready.statusCode()).isEqualTo(200);
                  assertThat(ready.bodyAsJsonObject().getJsonObject("checks").getString("redis")).startsWith("degraded");
                  assertThat(upload.statusCode()).isEqualTo(201);
                });
                return null;
              });
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a node whose Redis subscription broke stops serving lists from memory: an upload made meanwhile shows")
  void listsStayFreshWhileRedisIsDown(Vertx vertx, VertxTestContext ctx) throws Exception {
    onOwnRedis(vertx, new JsonObject(), (redis, writer, reader) -> listed(reader, TestApp.ALICE, "none") // Alice's list, in the reader's memory
        .compose(v -> closeBlocking(vertx, redis)) // killed: the publish of the next upload reaches no one
        .compose(v -> writer.upload(TestApp.ALICE, Corpus.file("orientation", "landscape_8.jpg")))
        .compose(created -> poll(vertx, () -> listed(reader, TestApp.ALICE, created.bodyAsJsonObject().getString("id"))
            .map(Optional::isPresent))))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** What a test does to two nodes that share a Redis of their own, which it may kill. */
  private interface OnOwnRedis {
    Future<?> run(RedisServer redis, TestApp writer, TestApp reader);
  }

  /**
   * Runs {@code test} on a writer (on the test's Vert.x) and a reader (on a Vert.x of its own, with
   * {@code readerConfig}) that share a fresh Redis, so that killing it leaves the other tests' Redis
   * alone; closes everything after, whatever the outcome.
   */
  private static Future<Void> onOwnRedis(Vertx vertx, JsonObject readerConfig, OnOwnRedis test) throws Exception {
    RedisServer redis = RedisServer.start();
    Backend shared = Backend.production(redis.url());
    Vertx other = Vertx.vertx();
    return TestApp.start(vertx, new JsonObject(), shared).compose(writer -> TestApp.start(other, readerConfig, shared)
            .compose(reader -> test.run(redis, writer, reader).eventually(reader::close))
            .eventually(writer::close))
        .eventually(other::close)
        .eventually(() -> closeBlocking(vertx, shared, redis))
        .mapEmpty();
  }

  /** Closes off the event loop: stopping Redis waits for its process, and the backend for its connections. */
  private static Future<Void> closeBlocking(Vertx vertx, AutoCloseable... resources) {
    return vertx.executeBlocking(() -> {
      for (AutoCloseable resource : resources) {
        resource.close();
      }
      return null;
    });
  }
}
