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
  private final Promise<Path> result = Promise.promise();
  private AsyncFile file;
  private boolean closed;

  private StagedBody(RoutingContext ctx, long maxBytes) {
    this.ctx = ctx;
    this.maxBytes = maxBytes;
  }

  /**
   * Reads {@code source} (paused by the caller, or not yet flowing) into {@code dir}.
   *
   * @return the staged file once {@code source} ended and the file is closed
   */
  static Future<Path> receive(RoutingContext ctx, ReadStream<Buffer> source, Path dir, long maxBytes) {
    StagedBody body = new StagedBody(ctx, maxBytes);
    source.pause();
    String path = dir.resolve("upload-" + UUID.randomUUID()).toString();
    ctx.addEndHandler(done -> (body.file == null || body.closed ? Future.<Void>succeededFuture() : body.file.close())
        .otherwiseEmpty()
        .eventually(() -> ctx.vertx().fileSystem().delete(path).otherwiseEmpty()));
    ctx.vertx().fileSystem().mkdirs(dir.toString())
        .compose(v -> ctx.vertx().fileSystem().open(path, new OpenOptions().setWrite(true).setCreateNew(true)))
        .onFailure(body::fail)
        .onSuccess(f -> {
          body.file = f;
          body.pump(source, Path.of(path));
        });
    return body.result.future();
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
      file.write(chunk).onFailure(this::fail);
      if (file.writeQueueFull()) {
        source.pause();
        file.drainHandler(v -> source.resume());
      }
    });
    source.exceptionHandler(e -> fail(AppException.of(ProblemType.BAD_REQUEST, "The body was not received completely.")));
    source.endHandler(v -> {
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
