package org.imgedge.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;

/**
 * Multipart uploads through vertx-web's BodyHandler (file parts stream to the staging folder, 413 once
 * the byte limit is crossed), with two gaps of vertx-core/vertx-web 5.0 closed around it.
 *
 * <p>Cancelling a part whose stream has just ended (its file closing, not yet handed over) makes
 * vertx-core's pipe touch the closed file and throw {@code IllegalStateException: File handle is
 * closed}. BodyHandler cancels wherever it fails: over the limit the throw skips its own 413 and the
 * part later fails as "Streaming aborted", a 500; when a client vanishes (the part has already failed
 * and closed its file) the throw is logged as an unhandled exception. So this handler owns the clean-up: it takes RoutingContext's one-shot clean-up before BodyHandler
 * runs (the context does it only once, so BodyHandler's calls become no-ops), and cleans up itself
 * when the response ends or the connection goes, tolerating that throw.
 *
 * <p>A body that ends inside a file part (no closing boundary) never ends that part: the parser is
 * dropped at the end of the request without failing it, so BodyHandler waits for it forever and the
 * client gets no answer. Nothing in the API tells such a part from one whose last bytes are still
 * being written, so once the request body has ended the route gets {@link #END_GRACE_MILLIS} to
 * move on ({@link #received()}); a body that has not by then is answered 400.
 */
public final class MultipartUploadHandler implements Handler<RoutingContext> {

  /**
   * After the body has ended, a well-formed part only has its last queued writes and its file close
   * left: milliseconds, even with a busy disk. A second keeps the 400 prompt with a wide margin.
   */
  static final long END_GRACE_MILLIS = 1_000;
  private static final String RECEIVED = "multipartReceived";

  private final BodyHandler body;

  public MultipartUploadHandler(Path dir, long maxBytes) {
    this.body = BodyHandler.create(dir.toString())
        .setBodyLimit(maxBytes)
        .setHandleFileUploads(true)
        .setMergeFormAttributes(false)
        // this handler deletes the staged parts itself (see the class comment)
        .setDeleteUploadedFilesOnEnd(false);
  }

  /** The handler after this one on the route: marks that the whole body arrived and was handed over. */
  public static Handler<RoutingContext> received() {
    return ctx -> {
      ctx.put(RECEIVED, true);
      ctx.next();
    };
  }

  @Override
  public void handle(RoutingContext ctx) {
    // Nothing is staged yet: this only spends the context's one clean-up, so that BodyHandler's own
    // calls cannot throw halfway (relies on RoutingContextImpl doing it once; BodyLimitsTest notices).
    ctx.cancelAndCleanupFileUploads();
    ctx.addEndHandler(done -> discardParts(ctx));
    HttpServerRequest request = ctx.request();
    if (!request.isEnded()) {
      request.end().onSuccess(v -> ctx.vertx().setTimer(END_GRACE_MILLIS, t -> failIfStuck(ctx)));
    }
    body.handle(ctx);
  }

  private static void failIfStuck(RoutingContext ctx) {
    if (ctx.get(RECEIVED) == null && !ctx.failed() && !ctx.response().ended() && !ctx.response().closed()) {
      ctx.fail(AppException.of(ProblemType.BAD_REQUEST,
          "The multipart body ended inside a part: its closing boundary is missing."));
    }
  }

  /** Stops staging further parts, cancels the ones still streaming and deletes the rest (unless moved away). */
  private static void discardParts(RoutingContext ctx) {
    ctx.request().uploadHandler(null);
    for (FileUpload part : ctx.fileUploads()) {
      boolean cancelled;
      try {
        cancelled = part.cancel();
      } catch (IllegalStateException fileAlreadyClosing) {
        // The part had just ended and its file was closing: cancel() marked it before throwing, and
        // vertx-core deletes the file once the close completes.
        cancelled = true;
      }
      if (!cancelled) {
        part.delete();
      }
    }
  }
}
