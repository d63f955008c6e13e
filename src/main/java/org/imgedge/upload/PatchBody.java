package org.imgedge.upload;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.UUID;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;

/**
 * Streams the body of one PATCH (or of a creation-with-upload POST) into a new local file, with
 * back-pressure, never more than the bytes the upload still lacks. Unlike a plain upload, a body that
 * breaks off is not thrown away: tus wants the bytes that arrived before a dropped link to count, so
 * the outcome is then what was received, marked as cut.
 */
final class PatchBody {

  /**
   * What arrived.
   *
   * @param digest the checksum of the bytes, when one was asked for; else null
   * @param whole  false when the connection broke before the body ended
   */
  record Received(Path file, long bytes, byte[] digest, boolean whole) {}

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final long remaining;
  private final MessageDigest digest;
  private final Path path;
  private final Promise<Received> result = Promise.promise();
  private AsyncFile file;
  private long bytes;
  private boolean done;
  private boolean broken;

  private PatchBody(Vertx vertx, HttpServerRequest request, long remaining, MessageDigest digest, Path path) {
    this.vertx = vertx;
    this.request = request;
    this.remaining = remaining;
    this.digest = digest;
    this.path = path;
  }

  /**
   * Reads the body of {@code request} (paused by the caller) into a new file in {@code dir}.
   *
   * @param digest null when no checksum was sent
   * @return fails with 413 past {@code remaining} (nothing kept), or with the write's own error
   */
  static Future<Received> receive(Vertx vertx, HttpServerRequest request, Path dir, long remaining, MessageDigest digest) {
    PatchBody body = new PatchBody(vertx, request, remaining, digest, dir.resolve("patch-" + UUID.randomUUID()));
    request.pause();
    if (request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
      // the upload, its offset and the declared length are fine: now the client may send the body
      // (curl waits a second for this before it sends a body over 1 MB on its own)
      request.response().writeContinue();
    }
    // a connection that breaks while the file opens must not be missed: its exception comes only once
    request.exceptionHandler(e -> body.broken = true);
    vertx.fileSystem().mkdirs(dir.toString())
        .compose(v -> vertx.fileSystem().open(body.path.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
        .onFailure(body::fail)
        .onSuccess(body::pump);
    return body.result.future();
  }

  private void pump(AsyncFile opened) {
    file = opened;
    if (request.isEnded()) {
      // a body-less request (or one already fully read) ends before any handler could be set
      finish(true);
      return;
    }
    if (broken || request.response().closed()) {
      // cut before this could read a byte (while the upload was looked up, or the file opened)
      finish(false);
      return;
    }
    request.handler(chunk -> {
      if (done) {
        return;
      }
      bytes += chunk.length();
      if (bytes > remaining) {
        fail(AppException.of(ProblemType.PAYLOAD_TOO_LARGE, "The body goes past Upload-Length: this upload lacks only "
            + remaining + " bytes."));
        return;
      }
      if (digest != null) {
        digest.update(chunk.getBytes());
      }
      file.write(chunk).onFailure(this::fail);
      if (file.writeQueueFull()) {
        request.pause();
        file.drainHandler(v -> request.resume());
      }
    });
    request.exceptionHandler(e -> finish(false));
    request.endHandler(v -> finish(true));
    request.resume();
  }

  /** close() completes once every queued write is in the file: only then does the count hold. */
  private void finish(boolean whole) {
    if (done) {
      return;
    }
    done = true;
    file.close().onComplete(r -> {
      if (r.failed()) {
        delete();
        result.tryFail(r.cause());
      } else {
        result.tryComplete(new Received(path, bytes, digest == null ? null : digest.digest(), whole));
      }
    });
  }

  private void fail(Throwable e) {
    if (done) {
      return;
    }
    done = true;
    Future<Void> closing = file == null ? Future.succeededFuture() : file.close();
    closing.onComplete(r -> {
      delete();
      result.tryFail(e);
    });
  }

  private void delete() {
    vertx.fileSystem().delete(path.toString()).otherwiseEmpty();
  }

  /** Removes the file of a body that will not be stored (a checksum mismatch, a lost race). */
  static Future<Void> discard(Vertx vertx, Received received) {
    return vertx.fileSystem().delete(received.file().toString()).otherwiseEmpty();
  }
}
