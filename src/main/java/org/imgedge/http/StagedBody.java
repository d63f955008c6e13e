package org.imgedge.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.UUID;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;

/**
 * Streams one body (a raw request body or one multipart part) into a new file in the staging folder,
 * with back-pressure and under the upload limit. It completes only when every byte is in the file; it
 * fails with 413 past the limit and with the write's own error (a full disk, say) when a write fails,
 * so a truncated file never passes for an upload. The file is deleted when the response ends, unless
 * the upload moved it into storage.
 */
final class StagedBody {

  private final RoutingContext ctx;
  private final long maxBytes;
  private final String path;
  private final Promise<Path> result = Promise.promise();
  private AsyncFile file;
  private boolean sourceEnded;
  private long chunks;
  private int writing;
  private boolean closed;
  /** The response has ended: nothing more may be staged, and what was is deleted. */
  private boolean discarded;

  private StagedBody(RoutingContext ctx, long maxBytes, String path) {
    this.ctx = ctx;
    this.maxBytes = maxBytes;
    this.path = path;
  }

  /**
   * Starts reading {@code source} (paused by the caller, or not yet flowing) into a new file in {@code dir}.
   * See {@link #file()} for the outcome.
   */
  static StagedBody receive(RoutingContext ctx, ReadStream<Buffer> source, Path dir, long maxBytes) {
    StagedBody body = new StagedBody(ctx, maxBytes, dir.resolve("upload-" + UUID.randomUUID()).toString());
    source.pause();
    ctx.addEndHandler(done -> body.discard());
    ctx.vertx().fileSystem().mkdirs(dir.toString())
        .compose(v -> ctx.vertx().fileSystem().open(body.path, new OpenOptions().setWrite(true).setCreateNew(true)))
        .onFailure(body::fail)
        .onSuccess(f -> {
          body.file = f;
          if (body.discarded) {
            // the request was answered (refused) while the file was being opened
            body.discard();
          } else {
            body.pump(source, Path.of(body.path));
          }
        });
    return body;
  }

  /** The staged file once the source ended and the file is closed; fails past the limit or on a failed write. */
  Future<Path> file() {
    return result.future();
  }

  /** Chunks received so far: tells progress from a stall. */
  long chunks() {
    return chunks;
  }

  /**
   * Whether the source still owes its end although nothing moved since {@code chunksBefore} was read:
   * no chunk came and no write is under way, so nothing is paused waiting for the disk.
   */
  boolean stalledSince(long chunksBefore) {
    return !sourceEnded && !result.future().isComplete() && chunks == chunksBefore && writing == 0;
  }

  /** Closes and deletes the file, unless the upload already moved it into storage. */
  private void discard() {
    discarded = true;
    Future<Void> closing = file == null || closed ? Future.succeededFuture() : file.close();
    closed = closed || file != null;
    closing.otherwiseEmpty().eventually(() -> ctx.vertx().fileSystem().delete(path).otherwiseEmpty());
  }

  /** Whether the request's body so far is over the limit; multipart parts that are not staged count too. */
  static boolean overLimit(HttpServerRequest request, long maxBytes) {
    return request.bytesRead() > maxBytes;
  }

  static AppException tooLarge(long maxBytes) {
    return AppException.of(ProblemType.PAYLOAD_TOO_LARGE, "The body is larger than " + maxBytes + " bytes.");
  }

  private void pump(ReadStream<Buffer> source, Path path) {
    source.handler(chunk -> {
      if (result.future().isComplete()) {
        return;
      }
      if (overLimit(ctx.request(), maxBytes)) {
        fail(tooLarge(maxBytes));
        return;
      }
      // A failed write (the disk is full) must fail the upload: closing the file later would succeed
      // and leave a truncated body behind.
      chunks++;
      writing++;
      file.write(chunk).onComplete(r -> writing--).onFailure(this::fail);
      if (file.writeQueueFull()) {
        source.pause();
        file.drainHandler(v -> source.resume());
      }
    });
    source.exceptionHandler(e -> fail(AppException.of(ProblemType.BAD_REQUEST, "The body was not received completely.")));
    source.endHandler(v -> {
      sourceEnded = true;
      if (result.future().isComplete()) {
        return;
      }
      // close() completes only once every queued write is in the file: only then may it be read.
      closed = true;
      file.close().onComplete(r -> {
        if (r.failed()) {
          fail(r.cause());
        } else {
          result.tryComplete(path);
        }
      });
    });
    source.resume();
  }

  private void fail(Throwable e) {
    result.tryFail(e);
  }
}
