package org.imgedge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Backend;
import org.imgedge.testing.GeneratedImages;
import org.imgedge.testing.Problems;
import org.imgedge.testing.RawConnection;
import org.imgedge.testing.RedisServer;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code limits.uploadsPerMinute}: per owner, shared by the nodes through Redis, or kept by one node alone;
 * past it a 429 with Retry-After, and nothing of the refused upload is stored.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class UploadRateTest {

  private static final JsonObject LIMIT_4 = new JsonObject().put("limits", new JsonObject().put("uploadsPerMinute", 4));

  @Test
  @DisplayName("two nodes sharing Redis count one owner's uploads together; past the limit both answer 429 and store nothing")
  void sharedAcrossNodes() throws Exception {
    Vertx vertxA = Vertx.vertx();
    Vertx vertxB = Vertx.vertx();
    try (Backend backend = Backend.production()) {
      TestApp a = await(TestApp.start(vertxA, LIMIT_4, backend));
      TestApp b = await(TestApp.start(vertxB, LIMIT_4, backend));
      try {
        // two uploads through each node: four in all, the limit
        assertCreated(a.uploadRaw(TestApp.ALICE, GeneratedImages.png(100), "image/png"));
        assertCreated(b.uploadRaw(TestApp.ALICE, GeneratedImages.png(101), "image/png"));
        assertCreated(a.uploadRaw(TestApp.ALICE, GeneratedImages.png(102), "image/png"));
        assertCreated(b.uploadRaw(TestApp.ALICE, GeneratedImages.png(103), "image/png"));
        long rows = a.stored().rows();
        long blobs = a.stored().blobFiles().size();

        assertTooMany(await(a.uploadRaw(TestApp.ALICE, GeneratedImages.png(104), "image/png")));
        assertTooMany(await(b.uploadRaw(TestApp.ALICE, GeneratedImages.png(105), "image/png")));
        assertTooMany(await(b.upload(TestApp.ALICE, java.nio.file.Path.of(System.getProperty("imgedge.corpus"), "orientation", "landscape_3.jpg"))));

        assertThat(a.stored().rows()).as("catalog rows after the refused uploads").isEqualTo(rows);
        assertThat(a.stored().blobFiles()).as("stored blobs after the refused uploads").hasSize((int) blobs);
        assertThat(a.stored().stagingFiles()).isEmpty();
        assertThat(b.stored().stagingFiles()).isEmpty();
        // the limit is per owner: Bob has his own four
        assertCreated(b.uploadRaw(TestApp.BOB, GeneratedImages.png(106), "image/png"));
        // and it limits uploads only: Alice still reads
        assertThat(await(a.get("/v1/images", TestApp.ALICE).send()).statusCode()).isEqualTo(200);
      } finally {
        await(Future.join(a.close(), b.close()));
      }
    } finally {
      await(Future.join(vertxA.close(), vertxB.close()));
    }
  }

  @Test
  @DisplayName("one node without Redis keeps the count itself: 429 with Retry-After past the limit, nothing stored")
  void localOnOneNode() throws Exception {
    Vertx vertx = Vertx.vertx();
    TestApp app = null;
    try {
      app = await(TestApp.startIn(vertx, java.nio.file.Files.createTempDirectory("imgedge-rate"), LIMIT_4));
      for (int i = 0; i < 4; i++) {
        assertCreated(app.uploadRaw(TestApp.ALICE, GeneratedImages.png(200 + i), "image/png"));
      }
      long rows = app.stored().rows();
      List<java.nio.file.Path> blobs = app.stored().blobFiles();
      assertTooMany(await(app.uploadRaw(TestApp.ALICE, GeneratedImages.png(204), "image/png")));
      // a client that waits for 100 Continue gets the refusal instead, and never sends its 50 MB
      try (RawConnection c = RawConnection.open(app.port())) {
        String answer = c.send("POST /v1/images HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestApp.ALICE
            + "\r\nContent-Type: image/jpeg\r\nContent-Length: 52428800\r\nExpect: 100-continue\r\n\r\n").answer();
        assertThat(answer).startsWith("HTTP/1.1 429 ").containsIgnoringCase("retry-after: ")
            .contains("\"type\":\"urn:imgedge:error:too-many-uploads\"");
      }
      assertThat(app.stored().rows()).isEqualTo(rows);
      assertThat(app.stored().blobFiles()).containsExactlyInAnyOrderElementsOf(blobs);
      assertThat(app.stored().stagingFiles()).isEmpty();
      assertCreated(app.uploadRaw(TestApp.BOB, GeneratedImages.png(205), "image/png"));
    } finally {
      TestApp.closeWith(app, vertx);
    }
  }

  @Test
  @DisplayName("with Redis down, uploads go on and each node limits them by itself (fail-open to the local count)")
  void redisDown() throws Exception {
    Vertx vertx = Vertx.vertx();
    RedisServer redis = RedisServer.start();
    Backend backend = Backend.production(redis.url());
    TestApp app = null;
    try {
      app = await(TestApp.start(vertx, LIMIT_4, backend));
      assertCreated(app.uploadRaw(TestApp.ALICE, GeneratedImages.png(300), "image/png"));
      redis.close();
      for (int i = 1; i < 5; i++) {
        assertCreated(app.uploadRaw(TestApp.ALICE, GeneratedImages.png(300 + i), "image/png"));
      }
      // this node has seen four since Redis went away: the fifth is refused by the local count
      assertTooMany(await(app.uploadRaw(TestApp.ALICE, GeneratedImages.png(305), "image/png")));
    } finally {
      TestApp.closeWith(app, vertx);
      backend.close();
      redis.close();
    }
  }

  private static void assertCreated(Future<HttpResponse<Buffer>> upload) throws Exception {
    HttpResponse<Buffer> r = await(upload);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
  }

  private static void assertTooMany(HttpResponse<Buffer> r) {
    JsonObject problem = Problems.assertProblem(r, 429);
    assertThat(problem.getString("type")).isEqualTo("urn:imgedge:error:too-many-uploads");
    assertThat(r.getHeader("Retry-After")).as("Retry-After").isNotNull();
    assertThat(Integer.parseInt(r.getHeader("Retry-After"))).isBetween(1, 60);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
