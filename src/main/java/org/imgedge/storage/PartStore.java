package org.imgedge.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;

/**
 * The bytes of resumable uploads that are not finished yet, one part per received PATCH, kept where every
 * node can read them: next to the blobs ({@code dir/partial/<upload>/<part>}) or in the S3 bucket
 * ({@code partial/<upload>/<part>}). Never in staging, which a start empties.
 *
 * <p>On S3 each part is a plain object, concatenated when the upload completes, rather than a part of an
 * S3 multipart upload: S3 wants every multipart part but the last to be at least 5 MiB, and a tus PATCH
 * (cut by a dropped link, or a client's small chunk size) can be any size, down to a byte.
 */
public interface PartStore {

  /** The part store beside the configured blob store. */
  static PartStore create(Vertx vertx, StorageConfig config) {
    return config.s3().enabled() ? new S3PartStore(vertx, S3BlobStore.client(config.s3()), config.s3().bucket())
        : new FsPartStore(vertx, config.dir().resolve("partial"));
  }

  /**
   * Moves {@code file} in as part {@code name} of {@code upload}; the file is gone afterwards.
   *
   * @return succeeds only once the part is durable (synced, or the PUT acknowledged)
   */
  Future<Void> put(String upload, String name, Path file);

  /** Writes the parts, in order, one after the other into {@code target} (created or truncated). */
  Future<Void> concatenate(String upload, List<String> names, Path target);

  /** Removes part {@code name} of {@code upload}, if it is there (a part whose PATCH lost its upload's row). */
  Future<Void> delete(String upload, String name);

  /** Removes every part of {@code upload}, including ones no row names (a crash between a put and its row). */
  Future<Void> deleteAll(String upload);

  /** Releases the store's client. */
  default void close() {}
}
