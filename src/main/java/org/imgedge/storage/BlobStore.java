package org.imgedge.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Where originals and variants live. Files are first written to a staging area, then committed. */
public interface BlobStore {

  /** The store the configuration names: the S3 bucket when {@code storage.s3.bucket} is set, else the file store. */
  static BlobStore create(Vertx vertx, StorageConfig config) {
    return config.s3().enabled() ? s3(vertx, config.dir(), config.s3()) : fs(vertx, config.dir());
  }

  /** The local file store under {@code dir}: blobs in {@code dir/blobs}, staging in {@code dir/staging}. */
  static BlobStore fs(Vertx vertx, Path dir) {
    return new FsBlobStore(vertx, dir);
  }

  /**
   * Blobs as objects in an S3-compatible bucket, with the same key layout as the file store. Staging
   * stays local, in {@code dir/staging}.
   */
  static BlobStore s3(Vertx vertx, Path dir, S3Config config) {
    return new S3BlobStore(vertx, dir.resolve("staging"), S3BlobStore.client(config), config.bucket());
  }

  /** {@code store} with each call timed into {@code timing} (the metrics). */
  static BlobStore timed(BlobStore store, Timing timing) {
    return new TimedBlobStore(store, timing);
  }

  /** Where a timed store reports each call. */
  @FunctionalInterface
  interface Timing {
    /** @param outcome "ok", "missing" (no such blob) or "error" */
    void record(String operation, String outcome, long nanos);
  }

  /** A local folder for files that are not committed yet (uploads, freshly encoded variants). */
  Path stagingDir();

  /**
   * Moves staged files into the store under their keys; the staged files are gone afterwards.
   *
   * @return succeeds only when every file is durable (written, synced, atomically in place; for S3,
   *     every PUT acknowledged); on failure nothing of this commit remains in the store
   */
  Future<Void> commit(Map<BlobKey, Path> staged);

  /** Whether a failed read or open means the blob is absent, as both stores report it. */
  static boolean isMissing(Throwable failure) {
    return failure instanceof java.nio.file.NoSuchFileException || failure.getCause() instanceof java.nio.file.NoSuchFileException;
  }

  /** @return the blob's bytes; fails with {@link java.nio.file.NoSuchFileException} when absent */
  Future<Buffer> read(BlobKey key);

  /**
   * @return a stream of the blob (for large originals), delivered on the caller's context; fails with
   *     {@link java.nio.file.NoSuchFileException} when absent
   */
  Future<ReadStream<Buffer>> open(BlobKey key);

  /** Removes one blob; succeeds when it was not there. */
  Future<Void> delete(BlobKey key);

  /** Removes every blob of the image; succeeds when none was there. */
  Future<Void> deleteImage(String imageId);

  /**
   * The ids of the images that have blobs in one shard of the store. Blobs are spread over 256 shards
   * named by the id's last two hex digits, so a caller can walk a big store one shard at a time.
   *
   * @param shard two lowercase hex digits
   */
  Future<List<String>> imageIds(String shard);

  /** @return succeeds when the store can be written to */
  Future<Void> check();

  /** Blocking, at start: empties the staging area, which only a crash leaves anything in. */
  void clearStaging();

  /** Releases the store's clients; the file store has none. */
  default void close() {}
}
