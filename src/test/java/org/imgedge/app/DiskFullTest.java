package org.imgedge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.Problems;
import org.imgedge.testing.Storage;
import org.imgedge.testing.Teardown;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.Tmpfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The disk fills up under the service: its whole storage (SQLite file, blobs, staging) sits on a small
 * file system of the test's own, which a filler file fills to a chosen level before each upload. As the
 * free space grows from nothing to more than an upload needs, uploads run out of space at each stage in
 * turn: receiving the body, writing the variants, committing and recording. Each such upload gets 507
 * (or 503) as problem+json and leaves nothing behind; once space is freed the next upload succeeds
 * without a restart.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DiskFullTest {

  private static Tmpfs disk;
  private static Vertx vertx;
  private static TestApp app;
  /** Photos not uploaded yet: a failed upload keeps its photo for the next try, a stored one uses it up. */
  private static Iterator<Path> photos;

  @BeforeAll
  static void start() throws Exception {
    disk = Tmpfs.mount(32);
    vertx = Vertx.vertx();
    app = await(TestApp.startIn(vertx, disk.dir(), new JsonObject()));
    photos = Corpus.files("orientation").stream().filter(p -> p.getFileName().toString().endsWith(".jpg")).iterator();
  }

  @AfterAll
  static void stop() throws Exception {
    Teardown.closeAll(() -> TestApp.closeWith(app, vertx), disk);
  }

  @ParameterizedTest(name = "{0} upload")
  @ValueSource(strings = {"multipart", "raw"})
  @DisplayName("a full disk answers 507 at every stage of an upload, keeps nothing partial, and recovers when space returns")
  void fullDisk(String how) throws Exception {
    Path photo = photos.next();
    long size = Files.size(photo);
    // from nothing free, through "the body fits but its variants do not", to enough for everything
    long[] levels = {0, size / 2, size + 8_192, size + 40_960, size + 102_400, size + 163_840, size + 245_760, size + 409_600,
        size + 819_200};
    List<String> table = new ArrayList<>();
    List<Integer> statuses = new ArrayList<>();
    for (long level : levels) {
      disk.leaveFree(level);
      long free = disk.free();
      long catalogBytes = catalogBytes();
      long rowsBefore = app.stored().rows();
      HttpResponse<Buffer> r = await(upload(how, photo));
      statuses.add(r.statusCode());
      table.add(String.format("free %7d B -> %d %s", free, r.statusCode(),
          r.statusCode() >= 400 ? r.bodyAsJsonObject().getString("type") : ""));
      if (r.statusCode() == 201) {
        photo = photos.next();
        size = Files.size(photo);
      } else {
        JsonObject problem = Problems.assertProblem(r);
        assertThat(r.statusCode()).as("%s", problem).isIn(503, 507);
        assertThat(r.getHeader("Retry-After")).as("Retry-After").matches("\\d+");
        assertThat(app.stored().rows()).as("no row for a refused upload").isEqualTo(rowsBefore);
      }
      assertThat(app.stored().blobFiles()).as("every row has all its blobs, and no blob is without a row")
          .hasSize((int) app.stored().rows() * Storage.BLOBS_PER_IMAGE);
      await(app.stored().stagingDrained(vertx, 250));
      if (r.statusCode() != 201) {
        // the staged file is gone from the disk, not just from the folder (no mapping or open file holds it);
        // the catalog may have grown by the pages of the upload's blob intent, opened and closed again, or shrunk
        assertThat(disk.free() + catalogBytes() - catalogBytes).as("free space after a refused upload").isEqualTo(free);
      }
    }
    System.out.printf("[disk full, %s] %s%n", how, String.join("; ", table));
    assertThat(statuses.get(0)).as("nothing free: the body cannot even be received").isEqualTo(507);
    assertThat(statuses.get(2)).as("the body fits, its variants do not").isEqualTo(507);

    disk.removeFiller();
    HttpResponse<Buffer> after = await(upload(how, photo));
    assertThat(after.statusCode()).as("after space was freed, without a restart: %s", after.bodyAsString()).isEqualTo(201);
    System.out.printf("[disk full, %s] after freeing space: %d%n", how, after.statusCode());
  }

  /**
   * The pages the catalog's files take on the tmpfs, file by file: they grow with a blob intent, and shrink when
   * SQLite truncates its WAL after a checkpoint, which frees pages the upload never took.
   */
  private static long catalogBytes() throws IOException {
    long bytes = 0;
    for (String name : List.of("imgedge.db", "imgedge.db-wal", "imgedge.db-shm")) {
      Path file = disk.dir().resolve(name);
      bytes += Files.exists(file) ? (Files.size(file) + 4095) / 4096 * 4096 : 0;
    }
    return bytes;
  }

  private static Future<HttpResponse<Buffer>> upload(String how, Path photo) {
    return "raw".equals(how) ? app.uploadRaw(TestApp.ALICE, photo) : app.upload(TestApp.ALICE, photo);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
