package org.imgedge.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Times every call to a store, by operation and outcome, around the call. This rather than the AWS
 * SDK's {@code MetricPublisher}: it measures what the service waits for (retries included) with one
 * meter for the S3 and the file store alike, and needs no bridge from the SDK's metric model to
 * Micrometer, which the SDK does not ship. Its cost is one clock read at each end of a call that
 * already takes a disk or network round trip; cached reads never get here.
 */
final class TimedBlobStore implements BlobStore {

  private final BlobStore store;
  private final BlobStore.Timing timing;

  TimedBlobStore(BlobStore store, BlobStore.Timing timing) {
    this.store = store;
    this.timing = timing;
  }

  private <T> Future<T> timed(String operation, Supplier<Future<T>> call) {
    long start = System.nanoTime();
    Future<T> result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      timing.record(operation, "error", System.nanoTime() - start);
      throw e;
    }
    return result.onComplete(r -> timing.record(operation,
        r.succeeded() ? "ok" : BlobStore.isMissing(r.cause()) ? "missing" : "error", System.nanoTime() - start));
  }

  @Override
  public Path stagingDir() {
    return store.stagingDir();
  }

  @Override
  public Future<Void> commit(Map<BlobKey, Path> staged) {
    return timed("commit", () -> store.commit(staged));
  }

  @Override
  public Future<Buffer> read(BlobKey key) {
    return timed("read", () -> store.read(key));
  }

  /** Timed to the first byte: the stream is the caller's to read. */
  @Override
  public Future<ReadStream<Buffer>> open(BlobKey key) {
    return timed("open", () -> store.open(key));
  }

  @Override
  public Future<Void> delete(BlobKey key) {
    return timed("delete", () -> store.delete(key));
  }

  @Override
  public Future<Void> deleteImage(String imageId) {
    return timed("delete_image", () -> store.deleteImage(imageId));
  }

  @Override
  public Future<List<String>> imageIds(String shard) {
    return timed("list", () -> store.imageIds(shard));
  }

  @Override
  public Future<Void> check() {
    return timed("check", store::check);
  }

  @Override
  public void clearStaging() {
    store.clearStaging();
  }

  @Override
  public void close() {
    store.close();
  }
}
