package org.imgedge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.ImageChecks;
import org.imgedge.testing.LoggedProblems;
import org.imgedge.testing.Problems;
import org.imgedge.testing.Storage;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Everything of {@code bad/} and {@code formats/}, then 2,400 deterministic mutations of the corpus photos,
 * through the HTTP API, three at a time. Every answer is a success or a client error with a problem body,
 * nothing is logged as a failure, and storage holds exactly the accepted images.
 *
 * <p>Most mutations start from the medium and small variants of the photos (rendered by the service itself),
 * four of the 1800x1200 orientation set (EXIF orientations 1, 3, 6 and 8) and five files of {@code formats/};
 * every 25th starts from a full-size 1-20 MP photo. That keeps the run near a minute on two cores while
 * still reaching the full-size decode paths. A second run damages a HEIC's container the same way
 * ({@link HeifMutations}).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.MINUTES)
class RobustnessTest {

  private static final long SEED = 20240505L;
  private static final int MUTATIONS = 2_400;
  private static final int HEIF_MUTATIONS = 500;
  private static final int IN_FLIGHT = 3;
  /** Not a timing goal: an answer slower than this means a hung request. */
  private static final long ANSWER_MILLIS = 30_000;
  private static final Set<Integer> ALLOWED = Set.of(200, 201, 400, 413, 415, 422);

  private record Input(String name, byte[] bytes) {}

  private final Map<Integer, Integer> byStatus = new TreeMap<>();
  private final List<String> wrong = new ArrayList<>();
  /** owner/sha256 of every accepted upload: one row each. */
  private final Set<String> accepted = ConcurrentHashMap.newKeySet();

  @Test
  @DisplayName("bad/, formats/ and 2,400 mutations of the photos: only 200/201/400/413/415/422, no failure logged, storage exact")
  void survivesHostileCorpus(Vertx vertx, VertxTestContext ctx) {
    LoggedProblems logged = LoggedProblems.record();
    long start = System.nanoTime();
    List<Input> fixed = new ArrayList<>();
    Corpus.files("bad").forEach(f -> fixed.add(new Input("bad/" + f.getFileName(), Corpus.bytes(f))));
    Corpus.files("formats").forEach(f -> fixed.add(new Input("formats/" + f.getFileName(), Corpus.bytes(f))));
    List<byte[]> photos = Corpus.files("photos").stream().map(Corpus::bytes).toList();
    List<byte[]> cheap = new ArrayList<>();
    for (String name : List.of("landscape_1.jpg", "landscape_6.jpg", "portrait_3.jpg", "portrait_8.jpg")) {
      cheap.add(Corpus.bytes(Corpus.file("orientation", name)));
    }
    for (String name : List.of("progressive.jpg", "cmyk-multiple-icc.jpg", "sample.png", "sample.gif", "alpha-lossy-1-.webp")) {
      cheap.add(Corpus.bytes(Corpus.file("formats", name)));
    }
    Mutations.Kind[] kinds = Mutations.Kind.values();
    int[] total = {0};

    TestApp.start(vertx).compose(app -> renderedVariants(app, photos)
            .compose(variants -> {
              cheap.addAll(variants);
              total[0] = fixed.size() + MUTATIONS;
              AtomicInteger next = new AtomicInteger();
              List<Future<Void>> lanes = new ArrayList<>();
              for (int lane = 0; lane < IN_FLIGHT; lane++) {
                lanes.add(lane(app, next, total[0], i -> {
                  if (i < fixed.size()) {
                    return fixed.get(i);
                  }
                  int m = i - fixed.size();
                  Random random = new Random(SEED * 31 + m);
                  Mutations.Kind kind = kinds[random.nextInt(kinds.length)];
                  boolean full = m % 25 == 0;
                  List<byte[]> pool = full ? photos : cheap;
                  int source = random.nextInt(pool.size());
                  return new Input((full ? "photo " : "cheap ") + source + " " + kind + " #" + m,
                      Mutations.apply(pool.get(source), kind, random));
                }));
              }
              return Future.all(lanes);
            })
            .compose(v -> app.stored().stagingDrained(vertx, 500))
            // a repeat of accepted bytes answers 200 with the same row: rows are the distinct accepted uploads
            .map(v -> new long[] {app.stored().rows(), app.stored().blobFiles().size()})
            .eventually(() -> {
              logged.close();
              return app.close();
            }))
        .onComplete(ctx.succeeding(stored -> ctx.verify(() -> {
          assertClean(String.format("%d inputs (%d corpus files, %d mutations) + %d photos to seed", total[0], fixed.size(),
              MUTATIONS, photos.size()), start, logged, stored);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("500 seeded mutations of a HEIC (ispe, box sizes, the tile grid, header bytes, truncation): only"
      + " 200/201/400/413/415/422, no failure logged, storage exact")
  void survivesHeifMutations(Vertx vertx, VertxTestContext ctx) {
    LoggedProblems logged = LoggedProblems.record();
    long start = System.nanoTime();
    byte[] heic = Corpus.bytes(Corpus.file("heic", "iphone-img-2927.heic"));
    HeifMutations.Kind[] kinds = HeifMutations.Kind.values();
    TestApp.start(vertx).compose(app -> {
      AtomicInteger next = new AtomicInteger();
      List<Future<Void>> lanes = new ArrayList<>();
      for (int lane = 0; lane < IN_FLIGHT; lane++) {
        lanes.add(lane(app, next, HEIF_MUTATIONS, i -> {
          Random random = new Random(SEED * 131 + i);
          HeifMutations.Kind kind = kinds[random.nextInt(kinds.length)];
          return new Input("heic " + kind + " #" + i, HeifMutations.apply(heic, kind, random));
        }));
      }
      return Future.all(lanes)
          .compose(v -> app.stored().stagingDrained(vertx, 500))
          .map(v -> new long[] {app.stored().rows(), app.stored().blobFiles().size()})
          .eventually(() -> {
            logged.close();
            return app.close();
          });
    }).onComplete(ctx.succeeding(stored -> ctx.verify(() -> {
      assertClean(HEIF_MUTATIONS + " mutations of a HEIC", start, logged, stored);
      ctx.completeNow();
    })));
  }

  /** Prints the run's figures, then: only allowed answers, no 5xx, nothing logged, one row and its blobs per acceptance. */
  private void assertClean(String what, long start, LoggedProblems logged, long[] stored) {
    double seconds = (System.nanoTime() - start) / 1e9;
    long fiveXx = byStatus.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
    System.out.printf("robustness: %s, statuses %s, 5xx %d, %d distinct accepted, %.1f s%n", what, byStatus, fiveXx,
        accepted.size(), seconds);
    assertThat(wrong).as("answers outside 200/201/400/413/415/422 or without a problem body").isEmpty();
    assertThat(fiveXx).isZero();
    assertThat(logged.seen()).as("ERRORs or Throwables logged").isEmpty();
    assertThat(stored[0]).as("rows").isEqualTo(accepted.size());
    assertThat(stored[1]).as("blob files").isEqualTo(Storage.BLOBS_PER_IMAGE * stored[0]);
  }

  /** Uploads the photos (they must be accepted) and fetches their medium and small variants: cheap JPEGs to mutate. */
  private Future<List<byte[]>> renderedVariants(TestApp app, List<byte[]> photos) {
    Future<List<byte[]>> chain = Future.succeededFuture(new ArrayList<>());
    for (byte[] photo : photos) {
      chain = chain.compose(list -> app.uploadRaw(TestApp.ALICE, Buffer.buffer(photo), "image/jpeg")
          .expecting(HttpResponseExpectation.SC_CREATED)
          .compose(r -> {
            JsonObject image = r.bodyAsJsonObject();
            accepted.add("alice/" + image.getJsonObject("original").getString("sha256"));
            return Future.all(fetch(app, image, "medium"), fetch(app, image, "small"));
          })
          .map(both -> {
            list.add(both.<byte[]>resultAt(0));
            list.add(both.<byte[]>resultAt(1));
            return list;
          }));
    }
    return chain;
  }

  private static Future<byte[]> fetch(TestApp app, JsonObject image, String preset) {
    return app.get(ImageChecks.versioned(image, preset), null).send()
        .expecting(HttpResponseExpectation.SC_OK)
        .map(r -> r.bodyAsBuffer().getBytes());
  }

  /** One client: takes the next input until none is left; half go as raw bodies, half as multipart. */
  private Future<Void> lane(TestApp app, AtomicInteger next, int total, java.util.function.IntFunction<Input> inputs) {
    int i = next.getAndIncrement();
    if (i >= total) {
      return Future.succeededFuture();
    }
    Input input = inputs.apply(i);
    Buffer body = Buffer.buffer(input.bytes());
    Future<HttpResponse<Buffer>> sent = i % 2 == 0
        ? app.request(HttpMethod.POST, "/v1/images", TestApp.BOB).timeout(ANSWER_MILLIS)
            .putHeader("Content-Type", "image/jpeg").sendBuffer(body)
        : app.request(HttpMethod.POST, "/v1/images", TestApp.BOB).timeout(ANSWER_MILLIS)
            .sendMultipartForm(MultipartForm.create().binaryFileUpload("image", "m" + i + ".jpg", body, "image/jpeg"));
    return sent.transform(ar -> {
      record(input, ar.failed() ? null : ar.result(), ar.cause());
      return lane(app, next, total, inputs);
    });
  }

  private synchronized void record(Input input, HttpResponse<Buffer> r, Throwable failure) {
    if (r == null) {
      byStatus.merge(0, 1, Integer::sum);
      wrong.add(input.name() + ": no answer: " + failure);
      return;
    }
    byStatus.merge(r.statusCode(), 1, Integer::sum);
    try {
      assertThat(r.statusCode()).isIn(ALLOWED);
      if (r.statusCode() >= 400) {
        Problems.assertProblem(r);
      } else {
        accepted.add("bob/" + r.bodyAsJsonObject().getJsonObject("original").getString("sha256"));
      }
    } catch (AssertionError | RuntimeException e) {
      wrong.add(input.name() + ": " + r.statusCode() + " " + r.bodyAsString());
    }
  }

}
