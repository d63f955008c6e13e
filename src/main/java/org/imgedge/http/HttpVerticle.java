package org.imgedge.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.imgedge.auth.Authenticator;
import org.imgedge.ops.Metrics;
import org.imgedge.problem.ProblemType;

/**
 * The HTTP server: the shared handlers (access log, body rate guard, problem answers), the route table
 * each {@link Api} fills in turn, and the {@link FastPath} in front of it. Deployed once per event loop.
 */
public final class HttpVerticle extends VerticleBase {

  private final HttpConfig config;
  private final List<Api> apis;
  private final FastPath fastPath;
  private final Authenticator authenticator;
  private final Metrics metrics;
  private final Path uploadsDir;
  private final long maxUploadBytes;
  private final ConnectionCap connections;
  private HttpServer server;
  private RequestLog requestLog;
  /** On every answer: a browser never reads a response as another type than the one declared. */
  static final CharSequence NOSNIFF = HttpHeaders.createOptimized("X-Content-Type-Options");
  static final CharSequence NOSNIFF_VALUE = HttpHeaders.createOptimized("nosniff");

  /**
   * @param apis        in the order the router should try their routes: the busiest first
   * @param connections shared by every HTTP verticle of the process
   */
  public HttpVerticle(HttpConfig config, List<Api> apis, FastPath fastPath, Authenticator authenticator, Metrics metrics, Path uploadsDir,
      long maxUploadBytes, ConnectionCap connections) {
    this.config = config;
    this.apis = List.copyOf(apis);
    this.fastPath = fastPath;
    this.authenticator = authenticator;
    this.metrics = metrics;
    this.uploadsDir = uploadsDir;
    this.maxUploadBytes = maxUploadBytes;
    this.connections = connections;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    requestLog = new RequestLog(metrics);
    router.route().handler(requestLog);
    Cors cors = Cors.of(config.corsOrigins());
    if (cors != null) {
      // before the routes, so that a preflight (OPTIONS) is answered here rather than with 405
      router.route().handler(cors);
    }
    router.route().handler(new BodyRateGuard(config.minBytesPerSecond(), config.rateWindowSeconds()));
    Routing routing = new Routing(router, authenticator, uploadsDir, maxUploadBytes);
    apis.forEach(api -> api.addRoutes(routing));

    ProblemFailureHandler problems = new ProblemFailureHandler();
    router.route().failureHandler(problems);
    router.errorHandler(404, ctx -> ProblemFailureHandler.send(ctx, ProblemType.NOT_FOUND, "No such resource.", null));
    router.errorHandler(405, ctx -> {
      String allow = allowedMethods(router, ctx.request().path());
      ctx.put(ProblemFailureHandler.ALLOW, allow);
      ProblemFailureHandler.send(ctx, ProblemType.METHOD_NOT_ALLOWED,
          "This resource does not accept " + ctx.request().method() + "; it accepts " + allow + ".", null);
    });
    router.errorHandler(500, problems);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setIdleTimeout(120)
        // HTTP/1.1 only: with cleartext HTTP/2 on, Vert.x holds a new connection in an upgrade probe
        // until the first request's head is complete, so no per-connection deadline could see it start
        .setHttp2ClearTextEnabled(false)
        // No WebSocket route exists: without these, every connection carries a WebSocket extension
        // handler that inspects each request and response. (TCP_NODELAY is on and HTTP compression
        // off by default: JPEG does not compress and the JSON is small.)
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
    server = vertx.createHttpServer(options);
    long headerTimeoutMillis = config.headerTimeoutSeconds() * 1000L;
    long firstByteTimeoutMillis = config.idleBeforeFirstByteSeconds() * 1000L;
    Framing framing = new Framing();
    return server.connectionHandler(connection -> ConnectionPipeline.of(connection).ifPresent(pipeline -> {
          if (connections.admit(pipeline)) {
            StrictRequestDecoder.install(pipeline, options);
            HeaderDeadline.install(pipeline, headerTimeoutMillis, firstByteTimeoutMillis);
          }
        }))
        .invalidRequestHandler(framing::answerInvalid)
        .requestHandler(request -> {
          request.response().putHeader(NOSNIFF, NOSNIFF_VALUE);
          if (cors != null) {
            // answers differ by Origin (CORS headers or none): a CDN or browser cache must not hand a page
            // the copy an <img> or a server got, so every answer says so, the fast path's included
            request.response().putHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
          }
          // a browser page's request of an allowed origin goes through the router for its CORS headers
          boolean fast = cors == null || !cors.applies(request);
          if (!framing.refused(request) && !(fast && fastPath.answer(request, requestLog))) {
            router.handle(request);
          }
        }).listen();
  }

  /**
   * Stops listening at once; each open connection closes when its request under way has been answered,
   * or when {@code http.drainSeconds} have passed.
   *
   * @return how many requests were still unanswered when the last connection closed: those the drain cut
   */
  public Future<Long> drain() {
    return server.shutdown(config.drainSeconds(), TimeUnit.SECONDS).map(v -> requestLog.underWay());
  }

  /** The port actually bound: differs from the configured one when that was 0. */
  public int actualPort() {
    return server.actualPort();
  }

  /** The methods of every route whose path template matches {@code path}, for a 405's Allow header (RFC 9110). */
  private static String allowedMethods(Router router, String path) {
    Set<String> methods = new TreeSet<>();
    for (Route r : router.getRoutes()) {
      if (r.getPath() != null && r.methods() != null
          && path.matches(r.getPath().replaceAll(":[A-Za-z]+", "[^/]+").replace(".", "\\."))) {
        r.methods().forEach(m -> methods.add(m.name()));
      }
    }
    return String.join(", ", methods);
  }
}
