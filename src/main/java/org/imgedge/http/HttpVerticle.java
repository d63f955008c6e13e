package org.imgedge.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.imgedge.api.ImagesApi;
import org.imgedge.api.JobsApi;
import org.imgedge.api.OpsApi;
import org.imgedge.api.OriginalsApi;
import org.imgedge.api.VariantsApi;
import org.imgedge.auth.ApiKeys;
import org.imgedge.auth.BearerAuthHandler;
import org.imgedge.auth.Role;
import org.imgedge.config.AppConfig.HttpConfig;
import org.imgedge.ops.Metrics;

/** The HTTP server: one route table, each route naming its roles and its handler. Deployed once per event loop. */
public final class HttpVerticle extends VerticleBase {

  /** Everything the routes call, built once and shared by every instance. */
  public record Routes(ImagesApi images, VariantsApi variants, OriginalsApi originals, JobsApi jobs, OpsApi ops, ApiKeys keys) {}

  /** Job requests carry a small JSON object (a result or an error), never an image. */
  private static final long JOB_BODY_LIMIT = 1024 * 1024;

  private final HttpConfig config;
  private final Routes routes;
  private final Metrics metrics;
  private final Path uploadsDir;
  private final long maxUploadBytes;
  private HttpServer server;

  public HttpVerticle(HttpConfig config, Routes routes, Metrics metrics, Path uploadsDir, long maxUploadBytes) {
    this.config = config;
    this.routes = routes;
    this.metrics = metrics;
    this.uploadsDir = uploadsDir;
    this.maxUploadBytes = maxUploadBytes;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    RequestLog requestLog = new RequestLog(metrics);
    router.route().handler(requestLog);
    router.route().handler(new BodyRateGuard(config.minBytesPerSecond(), config.rateWindowSeconds()));

    ImagesApi images = routes.images();
    route(router, HttpMethod.POST, "/v1/images", roles(Role.CLIENT, Role.ADMIN), uploadBody(), images::upload);
    route(router, HttpMethod.GET, "/v1/images", roles(Role.CLIENT, Role.ADMIN), images::list);
    // The router tries each route's path pattern in turn, before looking at the method: the variant
    // routes, by far the busiest, come before the other patterns (none of which they could shadow).
    route(router, HttpMethod.GET, "/v1/images/:id/original", roles(Role.WORKER, Role.ADMIN), routes.originals()::get);
    route(router, HttpMethod.HEAD, "/v1/images/:id/original", roles(Role.WORKER, Role.ADMIN), routes.originals()::get);
    route(router, HttpMethod.GET, VariantsApi.ROUTE, routes.variants()::get);
    route(router, HttpMethod.HEAD, VariantsApi.ROUTE, routes.variants()::get);
    route(router, HttpMethod.GET, "/v1/images/:id", roles(Role.CLIENT, Role.ADMIN), images::get);
    route(router, HttpMethod.DELETE, "/v1/images/:id", roles(Role.CLIENT, Role.ADMIN), images::delete);

    JobsApi jobs = routes.jobs();
    route(router, HttpMethod.POST, "/v1/jobs/claim", roles(Role.WORKER, Role.ADMIN), jsonBody(), jobs::claim);
    route(router, HttpMethod.GET, "/v1/jobs/stats", roles(Role.WORKER, Role.ADMIN), jobs::stats);
    route(router, HttpMethod.POST, "/v1/jobs/:jobId/complete", roles(Role.WORKER, Role.ADMIN), jsonBody(), jobs::complete);
    route(router, HttpMethod.POST, "/v1/jobs/:jobId/fail", roles(Role.WORKER, Role.ADMIN), jsonBody(), jobs::fail);

    OpsApi ops = routes.ops();
    route(router, HttpMethod.GET, "/health/live", ops::live);
    route(router, HttpMethod.GET, "/health/ready", ops::ready);
    route(router, HttpMethod.GET, "/metrics", ops::metrics);
    route(router, HttpMethod.GET, "/openapi.yaml", ops::openApi);

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

    server = vertx.createHttpServer(new HttpServerOptions()
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
        .setPerFrameWebSocketCompressionSupported(false));
    long headerTimeoutMillis = config.headerTimeoutSeconds() * 1000L;
    VariantsApi variants = routes.variants();
    return server.connectionHandler(connection -> HeaderDeadline.install(connection, headerTimeoutMillis))
        .requestHandler(request -> {
          if (!variants.answerFromMemory(request, requestLog)) {
            router.handle(request);
          }
        }).listen();
  }

  /**
   * Stops listening at once; each open connection closes when its request under way has been answered,
   * or when {@code http.drainSeconds} have passed.
   */
  public Future<Void> drain() {
    return server.shutdown(config.drainSeconds(), TimeUnit.SECONDS);
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

  @SafeVarargs
  private static void route(Router router, HttpMethod method, String path, Handler<RoutingContext>... handlers) {
    var route = router.route(method, path).handler(RequestLog.template(path));
    for (Handler<RoutingContext> h : handlers) {
      route.handler(h);
    }
  }

  private Handler<RoutingContext> roles(Role first, Role... more) {
    return BearerAuthHandler.requiring(routes.keys(), first, more);
  }

  /**
   * Read after the role check, so a caller without the right key never gets a body buffered. Wrapped,
   * because vertx-web refuses a BodyHandler placed after a user handler.
   */
  private static Handler<RoutingContext> jsonBody() {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(JOB_BODY_LIMIT);
    return body::handle;
  }

  /** Multipart and raw {@code image/*} bodies both stream into the staging folder (see UploadBodyHandler for why). */
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
