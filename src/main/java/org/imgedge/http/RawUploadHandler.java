package org.imgedge.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Streams a raw request body (an upload sent as {@code Content-Type: image/...}) into a staging file,
 * under the byte limit: 413 as soon as the declared length or the bytes received cross it. vertx-web's
 * BodyHandler would hold such a body in memory. The file is deleted when the response ends, unless
 * the upload moved it into storage.
 */
public final class RawUploadHandler implements Handler<RoutingContext> {

  private static final String FILE = "rawUploadFile";
  private final Path dir;
  private final long maxBytes;

  public RawUploadHandler(Path dir, long maxBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
  }

  /** The staged body of this request, set before the next handler runs. */
  public static Path file(RoutingContext ctx) {
    return ctx.get(FILE);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && declared.matches("\\d{1,19}") && Long.parseLong(declared) > maxBytes) {
      ctx.fail(AppException.of(ProblemType.PAYLOAD_TOO_LARGE, "The body is larger than " + maxBytes + " bytes."));
      return;
    }
    if (request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
      // The key and the declared size are fine: now the client may send the body.
      ctx.response().writeContinue();
    }
    request.pause();
    String path = dir.resolve("raw-" + UUID.randomUUID()).toString();
    ctx.vertx().fileSystem().mkdirs(dir.toString())
        .compose(v -> ctx.vertx().fileSystem().open(path, new OpenOptions().setWrite(true).setCreateNew(true)))
        .onFailure(ctx::fail)
        .onSuccess(file -> receive(ctx, request, file, path));
  }

  private void receive(RoutingContext ctx, HttpServerRequest request, AsyncFile file, String path) {
    long[] received = {0};
    boolean[] failed = {false};
    boolean[] closed = {false};
    // Unless the upload moved it into storage, the staged body goes when the response ends.
    ctx.addEndHandler(done -> (closed[0] ? Future.<Void>succeededFuture() : file.close())
        .otherwiseEmpty()
        .eventually(() -> ctx.vertx().fileSystem().delete(path)));
    request.handler(chunk -> {
      if (failed[0]) {
        return;
      }
      received[0] += chunk.length();
      if (received[0] > maxBytes) {
        failed[0] = true;
        ctx.fail(AppException.of(ProblemType.PAYLOAD_TOO_LARGE, "The body is larger than " + maxBytes + " bytes."));
        return;
      }
      file.write(chunk);
      if (file.writeQueueFull()) {
        request.pause();
        file.drainHandler(v -> request.resume());
      }
    });
    request.exceptionHandler(e -> {
      if (!failed[0]) {
        failed[0] = true;
        ctx.fail(AppException.of(ProblemType.BAD_REQUEST, "The body was not received completely."));
      }
    });
    request.endHandler(v -> {
      if (failed[0]) {
        return;
      }
      // close() completes only once every queued write is in the file: only then may it be read.
      closed[0] = true;
      file.close().onFailure(ctx::fail).onSuccess(x -> {
        ctx.put(FILE, Path.of(path));
        ctx.next();
      });
    });
    request.resume();
  }
}
