package org.imgedge.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;

/**
 * Receives an upload into a staging file, either a raw body ({@code Content-Type: image/...}) or the
 * part {@code image} of a {@code multipart/form-data} body: 413 as soon as the declared length or the
 * bytes received cross the limit. vertx-web's BodyHandler would hold a raw body in memory, and when
 * writing a multipart file fails (a full disk) it never answers: its cleanup trips over the file the
 * failed write already closed (vertx-web 5.0), so the request would hang.
 */
public final class UploadBodyHandler implements Handler<RoutingContext> {

  private static final String FILE = "stagedUploadFile";
  private static final String PART_TYPE = "stagedUploadType";
  private static final String IMAGE_PART = "image";
  private static final long STALL_CHECK_MILLIS = 250;
  private final Path dir;
  private final long maxBytes;

  public UploadBodyHandler(Path dir, long maxBytes) {
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
    if (DeclaredBody.longerThan(request, maxBytes)) {
      ctx.fail(StagedBody.tooLarge(maxBytes));
      return;
    }
    if (request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
      // The key and the declared size are fine: now the client may send the body.
      ctx.response().writeContinue();
    }
    String type = String.valueOf(request.getHeader(HttpHeaders.CONTENT_TYPE)).toLowerCase();
    if (type.startsWith("multipart/form-data")) {
      multipart(ctx, request);
    } else {
      StagedBody.receive(ctx, request, dir, maxBytes).file().onFailure(ctx::fail).onSuccess(path -> {
        ctx.put(FILE, path);
        ctx.next();
      });
    }
  }

  private void multipart(RoutingContext ctx, HttpServerRequest request) {
    if (!knownCharset(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
      // the multipart decoder would throw on it, and that was a 500
      ctx.fail(AppException.of(ProblemType.BAD_REQUEST, "The multipart body names a charset this service does not know."));
      return;
    }
    request.setExpectMultipart(true);
    AtomicReference<StagedBody> image = new AtomicReference<>();
    boolean[] failed = {false};
    request.uploadHandler(part -> {
      if (image.get() == null && IMAGE_PART.equals(part.name())) {
        ctx.put(PART_TYPE, part.contentType());
        StagedBody staged = StagedBody.receive(ctx, part, dir, maxBytes);
        staged.file().onFailure(e -> fail(ctx, failed, e));
        image.set(staged);
      } else {
        // any other file part is read and dropped, but its bytes count against the limit
        part.handler(chunk -> {
          if (StagedBody.overLimit(request, maxBytes)) {
            fail(ctx, failed, StagedBody.tooLarge(maxBytes));
          }
        });
      }
    });
    request.exceptionHandler(e -> fail(ctx, failed, AppException.of(ProblemType.BAD_REQUEST, "The body was not received completely.")));
    request.endHandler(v -> {
      if (image.get() == null) {
        fail(ctx, failed, AppException.of(ProblemType.BAD_REQUEST, "Send the photo in a multipart part named 'image'."));
        return;
      }
      watchForMissingEnd(ctx, image.get(), failed);
      image.get().file().onSuccess(path -> {
        if (!failed[0]) {
          ctx.put(FILE, path);
          ctx.next();
        }
      });
    });
  }

  /**
   * A body that ends inside the image part (no closing boundary) never ends the part: Vert.x drops its
   * multipart decoder without a word, and the staged file would wait forever. The part may also still
   * be catching up (paused while its file opened, or while the disk took a write), so it is refused
   * only once it has stalled: a check period with no chunk and no write under way.
   */
  private static void watchForMissingEnd(RoutingContext ctx, StagedBody staged, boolean[] failed) {
    long[] seen = {staged.chunks()};
    long timer = ctx.vertx().setPeriodic(STALL_CHECK_MILLIS, id -> {
      if (failed[0] || staged.file().isComplete()) {
        ctx.vertx().cancelTimer(id);
      } else if (staged.stalledSince(seen[0])) {
        ctx.vertx().cancelTimer(id);
        fail(ctx, failed, AppException.of(ProblemType.BAD_REQUEST,
            "The multipart body ended inside the part 'image': its closing boundary is missing."));
      } else {
        seen[0] = staged.chunks();
      }
    });
    ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
  }

  private static void fail(RoutingContext ctx, boolean[] failed, Throwable e) {
    if (!failed[0]) {
      failed[0] = true;
      ctx.fail(e);
    }
  }

  /** @return false when the content type has a charset parameter that Java cannot name (empty, malformed, unknown) */
  static boolean knownCharset(String contentType) {
    for (String param : contentType.split(";")) {
      String[] kv = param.trim().split("=", 2);
      if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("charset")) {
        String name = kv[1].trim().replace("\"", "");
        try {
          return !name.isEmpty() && java.nio.charset.Charset.isSupported(name);
        } catch (java.nio.charset.IllegalCharsetNameException e) {
          return false;
        }
      }
    }
    return true;
  }
}
