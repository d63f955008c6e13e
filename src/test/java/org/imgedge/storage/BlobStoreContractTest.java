package org.imgedge.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Corpus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link BlobStore} promises its callers, held against each implementation by a subclass.
 * Each test uses fresh image ids, so one store (or bucket) can serve all of them.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
abstract class BlobStoreContractTest {

  static final Path PHOTO = Corpus.file("photos", "samsung-sm-g935l-galaxy-s7-edge.jpg");
  private static final byte[] PHOTO_BYTES = Corpus.bytes(PHOTO);

  @TempDir
  Path dir;

  BlobStore store;

  /** A new store whose local folders live under {@code dir}. */
  abstract BlobStore newStore(Vertx vertx, Path dir);

  @BeforeEach
  void createStore(Vertx vertx) {
    store = newStore(vertx, dir);
    store.clearStaging();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  @DisplayName("a commit of several staged files reads back byte for byte, and the staged files are gone")
  void commitThenRead(VertxTestContext ctx) throws IOException {
    String id = newId();
    byte[] small = randomBytes(20_000);
    Map<BlobKey, Path> staged = new LinkedHashMap<>();
    staged.put(BlobKey.original(id), stage(id, "upload", PHOTO_BYTES));
    staged.put(BlobKey.variant(id, "small"), stage(id, "small.jpg", small));
    staged.put(BlobKey.variant(id, "empty"), stage(id, "empty.jpg", new byte[0]));

    store.commit(staged)
        .compose(v -> Future.all(store.read(BlobKey.original(id)), store.read(BlobKey.variant(id, "small")),
            store.read(BlobKey.variant(id, "empty"))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(((Buffer) all.resultAt(0)).getBytes()).isEqualTo(PHOTO_BYTES);
          assertThat(((Buffer) all.resultAt(1)).getBytes()).isEqualTo(small);
          assertThat(((Buffer) all.resultAt(2)).length()).isZero();
          assertThat(staged.values()).allSatisfy(p -> assertThat(p).doesNotExist());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("open() streams exactly the committed bytes")
  void openStreamsTheBytes(VertxTestContext ctx) throws IOException {
    String id = newId();
    commitPhoto(id)
        .compose(v -> store.open(BlobKey.original(id)))
        .compose(BlobStoreContractTest::drain)
        .onComplete(ctx.succeeding(bytes -> ctx.verify(() -> {
          assertThat(sha256(bytes.getBytes())).isEqualTo(sha256(PHOTO_BYTES));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("open() honours back-pressure: a paused stream hands out one chunk per fetch(1)")
  void openHonoursBackPressure(Vertx vertx, VertxTestContext ctx) throws IOException {
    String id = newId();
    commitPhoto(id)
        .compose(v -> store.open(BlobKey.original(id)))
        .compose(stream -> {
          Promise<Buffer> done = Promise.promise();
          Buffer all = Buffer.buffer();
          int[] outstanding = {0};
          stream.pause();
          stream.exceptionHandler(done::tryFail);
          stream.endHandler(v -> done.tryComplete(all));
          stream.handler(chunk -> {
            if (--outstanding[0] < 0) {
              done.tryFail(new AssertionError("a chunk arrived with no demand"));
            }
            all.appendBuffer(chunk);
            // ask for the next chunk a little later, as a slow client would
            vertx.setTimer(1, t -> {
              outstanding[0]++;
              stream.fetch(1);
            });
          });
          outstanding[0]++;
          stream.fetch(1);
          return done.future();
        })
        .onComplete(ctx.succeeding(bytes -> ctx.verify(() -> {
          assertThat(sha256(bytes.getBytes())).isEqualTo(sha256(PHOTO_BYTES));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("read() and open() of a missing blob fail with NoSuchFileException")
  void missingBlob(VertxTestContext ctx) {
    BlobKey missing = BlobKey.variant(newId(), "small");
    Future.all(failure(store.read(missing)), failure(store.open(missing)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          assertMissing(both.resultAt(0));
          assertMissing(both.resultAt(1));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("deleteImage() removes every blob of that image and nothing of another, even one whose id it prefixes")
  void deleteImage(VertxTestContext ctx) throws IOException {
    // same last two digits, and one id starts with the other: a listing by the bare id would catch both
    String id = newId() + "ab";
    String neighbour = id + "ab";
    Map<BlobKey, Path> staged = new LinkedHashMap<>();
    staged.put(BlobKey.original(id), stage(id, "upload", randomBytes(1000)));
    staged.put(BlobKey.variant(id, "small"), stage(id, "small.jpg", randomBytes(500)));
    staged.put(BlobKey.original(neighbour), stage(neighbour, "upload", randomBytes(700)));

    store.commit(staged)
        .compose(v -> store.deleteImage(id))
        .compose(v -> Future.all(exists(BlobKey.original(id)), exists(BlobKey.variant(id, "small")),
            exists(BlobKey.original(neighbour))))
        .onComplete(ctx.succeeding(found -> ctx.verify(() ->
            assertThat(found.<Boolean>list()).containsExactly(false, false, true))))
        .compose(v -> store.deleteImage(newId()))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("imageIds(shard) lists each image with blobs in that shard once, and no other")
  void imageIdsByShard(VertxTestContext ctx) throws IOException {
    String first = newId() + "7e";
    String second = newId() + "7e";
    String elsewhere = newId() + "7f";
    Map<BlobKey, Path> staged = new LinkedHashMap<>();
    staged.put(BlobKey.original(first), stage(first, "upload", randomBytes(100)));
    staged.put(BlobKey.variant(first, "small"), stage(first, "small.jpg", randomBytes(50)));
    staged.put(BlobKey.original(second), stage(second, "upload", randomBytes(120)));
    staged.put(BlobKey.original(elsewhere), stage(elsewhere, "upload", randomBytes(130)));

    store.commit(staged)
        .compose(v -> store.imageIds("7e"))
        .onComplete(ctx.succeeding(ids -> ctx.verify(() -> assertThat(ids).contains(first, second)
            .doesNotHaveDuplicates().doesNotContain(elsewhere).allMatch(id -> id.endsWith("7e")))))
        .compose(v -> store.imageIds("00"))
        .onComplete(ctx.succeeding(ids -> ctx.verify(() -> {
          assertThat(ids).allMatch(id -> id.endsWith("00"));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a commit that fails part-way leaves none of its blobs behind")
  void failedCommitLeavesNothing(VertxTestContext ctx) throws IOException {
    String id = newId();
    Map<BlobKey, Path> staged = new LinkedHashMap<>();
    staged.put(BlobKey.original(id), stage(id, "upload", randomBytes(1000)));
    staged.put(BlobKey.variant(id, "small"), store.stagingDir().resolve("never-written.jpg"));

    failure(store.commit(staged))
        .compose(e -> exists(BlobKey.original(id)))
        .onComplete(ctx.succeeding(found -> ctx.verify(() -> {
          assertThat(found).as("the blob put before the failing one").isFalse();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("check() succeeds on a working store")
  void checkSucceeds(VertxTestContext ctx) {
    store.check().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("clearStaging() empties the staging folder and leaves it in place")
  void clearStaging() throws IOException {
    Path leftover = stage("crashed", "upload", randomBytes(10));
    store.clearStaging();
    assertThat(leftover).doesNotExist();
    assertThat(store.stagingDir()).isDirectory().isEmptyDirectory();
  }

  /** Writes bytes into the store's staging folder, as an upload or the imaging worker would. */
  /** Stages the photo as image {@code id}'s original and commits it, for the tests that read it back. */
  private Future<Void> commitPhoto(String id) throws IOException {
    return store.commit(Map.of(BlobKey.original(id), stage(id, "upload", PHOTO_BYTES)));
  }

  Path stage(String id, String name, byte[] bytes) throws IOException {
    Path file = store.stagingDir().resolve(id).resolve(name);
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  /** @return whether the blob can be read; any failure other than "missing" fails */
  Future<Boolean> exists(BlobKey key) {
    return store.read(key).map(b -> true).recover(e -> isMissing(e) ? Future.succeededFuture(false) : Future.failedFuture(e));
  }

  /** @return the failure of {@code f}, or a failed future when {@code f} succeeded */
  static Future<Throwable> failure(Future<?> f) {
    return f.transform(r -> r.failed() ? Future.succeededFuture(r.cause())
        : Future.failedFuture(new AssertionError("expected a failure, got " + r.result())));
  }

  static String newId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  static void assertMissing(Throwable e) {
    assertThat(isMissing(e)).as("NoSuchFileException, got %s", e).isTrue();
  }

  /** The file store's Vert.x file system wraps the JDK exception; callers accept either (VariantCache). */
  static boolean isMissing(Throwable e) {
    return e instanceof NoSuchFileException || e.getCause() instanceof NoSuchFileException;
  }

  static Future<Buffer> drain(ReadStream<Buffer> stream) {
    Promise<Buffer> done = Promise.promise();
    Buffer all = Buffer.buffer();
    stream.exceptionHandler(done::tryFail);
    stream.endHandler(v -> done.tryComplete(all));
    stream.handler(all::appendBuffer);
    return done.future();
  }

  static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
