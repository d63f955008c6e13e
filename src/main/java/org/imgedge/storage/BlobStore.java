package org.imgedge.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.util.Map;

/** Where originals and variants live. Files are first written to a staging area, then committed. */
public interface BlobStore {

  /** The local file store under {@code dir}: blobs in {@code dir/blobs}, staging in {@code dir/staging}. */
  static BlobStore fs(Vertx vertx, Path dir) {
    return new FsBlobStore(vertx, dir);
  }

  /** A local folder for files that are not committed yet (uploads, freshly encoded variants). */
  Path stagingDir();

  /**
   * Moves staged files into the store under their keys.
   *
   * @return succeeds only when every file is durable (written, synced, atomically in place); on
   *     failure nothing of this commit remains
   */
  Future<Void> commit(Map<BlobKey, Path> staged);

  /** @return the blob's bytes; fails with {@link java.nio.file.NoSuchFileException} when absent */
  Future<Buffer> read(BlobKey key);

  /** @return a stream of the blob (for large originals); fails when absent */
  Future<ReadStream<Buffer>> open(BlobKey key);

  /** Removes every blob of the image; succeeds when none was there. */
  Future<Void> deleteImage(String imageId);

  /** @return succeeds when the store can be written to */
  Future<Void> check();

  /** Blocking, at start: empties the staging area, which only a crash leaves anything in. */
  void clearStaging();
}
