package org.imgedge.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.imgedge.auth.Authenticator;
import org.imgedge.auth.BearerAuthHandler;
import org.imgedge.auth.Role;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;

/**
 * What an {@link Api} adds its routes through: each route names its path, who may call it and what
 * body it reads, and every route gets the same access logging, key check and body limits. The router
 * tries routes in the order they were added.
 */
public final class Routing {

  /** The body a route reads, always after its role check, so a caller without the right key never gets one buffered. */
  public enum Body {
    NONE,
    /** A small JSON object (a job's result or error), never an image. */
    JSON,
    /** A photo, multipart or raw {@code image/*}, streamed into the staging folder (see {@link UploadBodyHandler}). */
    UPLOAD
  }

  private static final long JSON_BODY_LIMIT = 1024 * 1024;

  private static final String KEEP_ON_PROBLEM = "imgedge.keepOnProblem";
  private final Map<String, Map.Entry<String, String>> answerHeaders = new LinkedHashMap<>();
  private final Router router;
  private final Authenticator authenticator;
  private final Path uploadsDir;
  private final long maxUploadBytes;

  Routing(Router router, Authenticator authenticator, Path uploadsDir, long maxUploadBytes) {
    this.router = router;
    this.authenticator = authenticator;
    this.uploadsDir = uploadsDir;
    this.maxUploadBytes = maxUploadBytes;
  }

  /** A route anyone may call, without a key: health, metrics, the contract, and signed variant URLs. */
  public void open(HttpMethod method, String path, Handler<RoutingContext> handler) {
    add(method, path).handler(handler);
  }

  /** A route that needs a key of one of {@code roles}. */
  public void guarded(HttpMethod method, String path, Set<Role> roles, Body body, Handler<RoutingContext> handler) {
    guarded(method, path, roles, null, body, handler);
  }

  /**
   * A route that needs a credential of one of {@code roles}, with a check that runs after the role check
   * and before the body is read (e.g. a per-owner limit), so what it refuses costs no body.
   */
  public void guarded(HttpMethod method, String path, Set<Role> roles, Handler<RoutingContext> beforeBody, Body body,
      Handler<RoutingContext> handler) {
    Route route = add(method, path).handler(BearerAuthHandler.requiring(authenticator, roles));
    if (beforeBody != null) {
      route.handler(beforeBody);
    }
    switch (body) {
      case JSON -> route.handler(jsonBody());
      case UPLOAD -> route.handler(uploadBody());
      case NONE -> { }
    }
    route.handler(handler);
  }

  /**
   * Puts {@code name: value} on every answer of the routes added after this under {@code pathPrefix},
   * before the key is checked, so a 401 carries it too (tus wants Tus-Resumable on every answer).
   */
  public void answerHeader(String pathPrefix, String name, String value) {
    answerHeaders.put(pathPrefix, Map.entry(name, value));
  }

  /** Keeps header {@code name}, already set on the answer, when the request ends in a problem answer. */
  public static void keepOnProblem(RoutingContext ctx, CharSequence name) {
    Set<String> kept = ctx.get(KEEP_ON_PROBLEM);
    if (kept == null) {
      kept = new HashSet<>();
      ctx.put(KEEP_ON_PROBLEM, kept);
    }
    kept.add(name.toString().toLowerCase(Locale.ROOT));
  }

  /** Whether {@link #keepOnProblem} named {@code name} for this request. */
  static boolean keptOnProblem(RoutingContext ctx, String name) {
    Set<String> kept = ctx.get(KEEP_ON_PROBLEM);
    return kept != null && kept.contains(name.toLowerCase(Locale.ROOT));
  }

  private Route add(HttpMethod method, String path) {
    Route route = router.route(method, path).handler(RequestLog.template(path));
    answerHeaders.forEach((prefix, header) -> {
      if (path.startsWith(prefix)) {
        route.handler(ctx -> {
          ctx.response().putHeader(header.getKey(), header.getValue());
          ctx.next();
        });
      }
    });
    return route;
  }

  /** Wrapped, because vertx-web refuses a BodyHandler placed after a user handler. */
  private static Handler<RoutingContext> jsonBody() {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(JSON_BODY_LIMIT);
    return body::handle;
  }

  private Handler<RoutingContext> uploadBody() {
    UploadBodyHandler staged = new UploadBodyHandler(uploadsDir, maxUploadBytes);
    return ctx -> {
      String type = String.valueOf(ctx.request().getHeader("Content-Type")).toLowerCase();
      if (type.startsWith("multipart/form-data") || type.startsWith("image/")) {
        staged.handle(ctx);
      } else {
        ctx.fail(AppException.of(ProblemType.UNSUPPORTED_FORMAT,
            "Send the photo as multipart/form-data (part 'image') or as a raw body with Content-Type image/*."));
      }
    };
  }
}
