package org.imgedge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.FlatPng;
import org.imgedge.testing.RunningApp;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code imaging.memoryBudgetBytes}: uploads whose decodes do not fit together wait their turn. */
class MemoryAdmissionTest {

  /** One 14000x14000 PNG's decode is estimated at about 17 MB (a 2000x2000 subsampled image and a few rows). */
  private static final long BUDGET = 20L << 20;

  @RegisterExtension
  static final RunningApp app = new RunningApp(new JsonObject().put("imaging",
      new JsonObject().put("memoryBudgetBytes", BUDGET).put("workers", 2).put("queue", 8)));

  @Test
  @DisplayName("four large PNGs at once, with a budget for one decode: all are answered 201 in turn, and the budget is all given back")
  void waitTheirTurn() throws Exception {
    List<Buffer> pngs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      // each different (one more row), so none is answered as a repeat of another; made before any is sent
      pngs.add(Buffer.buffer(FlatPng.rgb(14_000, 14_000 + i)));
    }
    List<Future<HttpResponse<Buffer>>> uploads = new ArrayList<>();
    for (Buffer png : pngs) {
      uploads.add(app.get().uploadRaw(TestApp.ALICE, png, "image/png"));
    }
    for (Future<HttpResponse<Buffer>> upload : uploads) {
      HttpResponse<Buffer> r = upload.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    }
    String metrics = app.get().get("/metrics", null).send().toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS).bodyAsString();
    assertThat(metrics.lines()).contains("imgedge_imaging_memory_reserved_bytes 0.0", "imgedge_upload_queue_depth 0.0");
  }
}
