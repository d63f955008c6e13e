package org.imgedge.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.imgedge.testing.Backend;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.CuttingProxy;
import org.imgedge.testing.ServiceProcess;
import org.imgedge.testing.Teardown;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.TusClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phone photos sent with tus-js-client over links that drop, to two service processes on one PostgreSQL,
 * Redis and S3 bucket: the upload resumes where it stopped, on whichever node, and after a SIGKILL, and
 * the image is the photo byte for byte, with nothing of the upload left behind.
 */
class ResumableUploadTest {

  private static final long SEED = Long.getLong("tus.seed", System.nanoTime());
  private static final int CHUNK = 256 * 1024;
  @TempDir
  static Path dir;
  private static Backend backend;
  private static ServiceProcess a;
  private static ServiceProcess b;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    assumeTrue(TusClient.installed() || System.getenv("CI") != null, "tus-js-client is not installed: run .ci/install-deps");
    System.out.println("ResumableUploadTest seed: " + SEED + " (replay with -Dtus.seed=" + SEED + ")");
    backend = Backend.production();
    a = ServiceProcess.start(dir.resolve("a"), backend, new JsonObject());
    b = ServiceProcess.start(dir.resolve("b"), backend, new JsonObject());
  }

  @AfterAll
  static void stop() throws Exception {
    Teardown.closeAll(a, b, backend);
  }

  @Test
  @DisplayName("cut at 24 random offsets, the first half to node A and the rest to node B: the image is the photo, byte for byte")
  void resumesAcrossCutsAndNodes() throws Exception {
    Path photo = Corpus.file("photos", "apple-iphone-4s.jpg");
    long size = Files.size(photo);
    AtomicInteger toA = new AtomicInteger();
    AtomicInteger toB = new AtomicInteger();
    CuttingProxy[] holder = new CuttingProxy[1];
    try (CuttingProxy proxy = new CuttingProxy(() -> {
      boolean first = holder[0].bytesUp() < size / 2;
      (first ? toA : toB).incrementAndGet();
      return first ? a.port() : b.port();
    }, SEED, 24, 160_000)) {
      holder[0] = proxy;
      proxy.cutAllAt(size / 2);
      TusClient client = TusClient.start("http://127.0.0.1:" + proxy.port() + "/v1/uploads", TestApp.ALICE, photo, CHUNK, 20);
      JsonObject done = client.await(Duration.ofSeconds(60));
      assertThat(proxy.cuts()).as("connections cut (seed %d)", SEED).isGreaterThanOrEqualTo(20);
      assertThat(toA.get()).as("connections to node A").isPositive();
      assertThat(toB.get()).as("connections to node B").isPositive();
      assertIntact(done, photo);
    }
  }

  @Test
  @DisplayName("the node is killed with SIGKILL mid-upload and restarted: the client resumes from the stored offset, no byte lost")
  void resumesAfterSigkill() throws Exception {
    Path photo = Corpus.file("photos", "apple-iphone-6-plus.jpg");
    long size = Files.size(photo);
    AtomicInteger port = new AtomicInteger(b.port());
    try (CuttingProxy proxy = new CuttingProxy(port::get, SEED, 0, 1)) {
      TusClient client = TusClient.start("http://127.0.0.1:" + proxy.port() + "/v1/uploads", TestApp.ALICE, photo, CHUNK, 250);
      try {
        await(() -> proxy.bytesUp() > size * 2 / 5, Duration.ofSeconds(30), "40% of the photo sent");
        b.kill();
        long stored = acknowledgedOffset();
        assertThat(stored).as("bytes acknowledged before the kill").isPositive().isLessThan(size);
        b = ServiceProcess.start(dir.resolve("b"), backend, new JsonObject());
        port.set(b.port());
        JsonObject done = client.await(Duration.ofSeconds(60));
        assertIntact(done, photo);
      } finally {
        client.stop();
      }
    }
  }

  /** The offset of the one unfinished upload in the catalog. */
  private static long acknowledgedOffset() throws Exception {
    try (var c = b.stored().connect(); var s = c.createStatement();
        var r = s.executeQuery("SELECT upload_offset FROM tus_uploads WHERE image_id IS NULL")) {
      assertThat(r.next()).as("an unfinished upload row").isTrue();
      return r.getLong(1);
    }
  }

  /** The original is the photo, its variants are served, and no row, part or staging file of the upload is left. */
  private static void assertIntact(JsonObject done, Path photo) throws Exception {
    String id = done.getString("imageId");
    assertThat(id).as("Image-Id of the completed upload: %s", done).isNotNull();
    assertThat(done.getString("imageLocation")).isEqualTo("/v1/images/" + id);
    HttpResponse<byte[]> original = http.send(HttpRequest.newBuilder(a.uri("/v1/images/" + id + "/original"))
        .header("Authorization", "Bearer " + TestApp.WORKER).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(original.statusCode()).isEqualTo(200);
    assertThat(Corpus.sha256(original.body())).as("original vs photo").isEqualTo(Corpus.sha256(photo));
    for (String preset : new String[] {"small", "medium"}) {
      HttpResponse<byte[]> variant = http.send(HttpRequest.newBuilder(b.uri("/v1/images/" + id + "/" + preset + ".jpg")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(variant.statusCode()).as(preset).isEqualTo(200);
      assertThat(variant.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    }
    assertThat(a.stored().unfinishedUploads()).as("unfinished upload rows").isZero();
    assertThat(a.stored().partialParts()).as("stored parts").isEmpty();
    await(() -> a.stored().stagingFiles().isEmpty() && b.stored().stagingFiles().isEmpty(), Duration.ofSeconds(5),
        () -> "no staging file left: " + a.stored().stagingFiles() + " " + b.stored().stagingFiles());
  }

  private static void await(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
    await(condition, limit, () -> what);
  }

  private static void await(BooleanSupplier condition, Duration limit, java.util.function.Supplier<String> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + limit + ": " + what.get());
      }
      // polling the condition: a short pause between checks, never a guessed wait for the outcome
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
    }
  }
}
