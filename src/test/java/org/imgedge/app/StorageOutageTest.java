package org.imgedge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Backend;
import org.imgedge.testing.GeneratedImages;
import org.imgedge.testing.Ports;
import org.imgedge.testing.Problems;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An object store that does not answer: uploads are told to retry (503), never handed a 500. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StorageOutageTest {

  @Test
  @DisplayName("with the S3 endpoint unreachable, an upload gets 503 with Retry-After and readiness names the storage")
  void unreachableStore() throws Exception {
    int closedPort = Ports.free(); // free once closed: nothing listens there
    JsonObject s3 = new JsonObject().put("endpoint", "http://127.0.0.1:" + closedPort).put("bucket", "nowhere")
        .put("region", "us-east-1").put("accessKey", "key").put("secretKey", "secret").put("pathStyle", true);
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      TestApp app = await(TestApp.start(vertx, new JsonObject().put("storage", new JsonObject().put("s3", s3)), Backend.embedded()));
      try {
        HttpResponse<Buffer> upload = await(app.uploadRaw(TestApp.ALICE, GeneratedImages.png(1), "image/png"));
        JsonObject problem = Problems.assertProblem(upload, 503);
        assertThat(problem.getString("detail")).contains("storage");
        assertThat(upload.getHeader("Retry-After")).matches("\\d+");
        JsonObject ready = Problems.assertProblem(await(app.get("/health/ready", null).send()), 503);
        assertThat(ready.getString("detail")).contains("storage");
        assertThat(app.stored().stagingFiles()).as("nothing left in staging").isEmpty();
      } finally {
        await(app.close());
      }
    } finally {
      await(vertx.close());
    }
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
