package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imgedge.testing.RunningApp.service;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.imgedge.testing.Storage;
import org.imgedge.testing.GeneratedImages;
import org.imgedge.testing.Problems;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.WithService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Probes one owner's images with another owner's key, many times over: nothing is seen, nothing is touched. */
@WithService
@Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
class IsolationProbeTest {

  private static final int ALICE_IMAGES = 5;
  private static final int PROBES = 1000;
  private static final int BATCH = 50;

  private static List<String> alices;

  @BeforeAll
  static void upload(VertxTestContext ctx) {
    GeneratedImages.upload(service(), TestApp.ALICE, 40, ALICE_IMAGES, 2)
        .compose(ids -> {
          alices = ids;
          return GeneratedImages.upload(service(), TestApp.BOB, 60, 1, 1);
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("1,000 reads, lists, deletes and original fetches of alice's images with bob's key: 404 (403 for originals), none listed, all still there")
  void anotherOwnersKeySeesNothing(VertxTestContext ctx) {
    List<Supplier<Future<Void>>> probes = new ArrayList<>();
    AtomicInteger checked = new AtomicInteger(); // answers whose status and body were checked
    for (int i = 0; i < PROBES; i++) {
      String id = alices.get(i % ALICE_IMAGES);
      String what = "probe " + i;
      probes.add(switch (i % 4) {
        case 0 -> () -> service().get("/v1/images/" + id, TestApp.BOB).send().map(r -> problem(r, 404, what, checked));
        case 1 -> () -> service().request(HttpMethod.DELETE, "/v1/images/" + id, TestApp.BOB).send().map(r -> problem(r, 404, what, checked));
        case 2 -> () -> service().get("/v1/images/" + id + "/original", TestApp.BOB).send().map(r -> problem(r, 403, what, checked));
        default -> () -> service().get("/v1/images?limit=200", TestApp.BOB).send().expecting(HttpResponseExpectation.SC_OK).map(r -> {
          List<String> listed = r.bodyAsJsonObject().getJsonArray("items").stream()
              .map(o -> ((JsonObject) o).getString("id")).toList();
          if (listed.size() != 1 || listed.stream().anyMatch(alices::contains)) {
            throw new AssertionError(what + ": bob's list shows " + listed);
          }
          checked.incrementAndGet();
          return null;
        });
      });
    }
    batches(probes, 0)
        .compose(v -> Future.all(alices.stream().map(id -> service().get("/v1/images/" + id, TestApp.ALICE).send()
            .expecting(HttpResponseExpectation.SC_OK)).toList()))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(checked.get()).as("probes answered and checked").isEqualTo(PROBES);
          for (String id : alices) {
            assertThat(service().stored().blobFiles(id)).as("%s: original and both variants are still stored", id).hasSize(Storage.BLOBS_PER_IMAGE);
          }
          ctx.completeNow();
        })));
  }

  /** Runs the probes {@link #BATCH} at a time: parallel enough to be quick, not so many that connections queue. */
  private static Future<Void> batches(List<Supplier<Future<Void>>> probes, int from) {
    if (from >= probes.size()) {
      return Future.succeededFuture();
    }
    List<Future<Void>> batch = new ArrayList<>();
    for (int i = from; i < Math.min(from + BATCH, probes.size()); i++) {
      batch.add(probes.get(i).get());
    }
    return Future.all(batch).compose(v -> batches(probes, from + BATCH));
  }

  private static Void problem(HttpResponse<Buffer> r, int status, String what, AtomicInteger checked) {
    if (r.statusCode() != status) {
      throw new AssertionError(what + ": expected " + status + ", got " + r.statusCode() + " " + r.bodyAsString());
    }
    Problems.assertProblem(r, status);
    checked.incrementAndGet();
    return null;
  }
}
