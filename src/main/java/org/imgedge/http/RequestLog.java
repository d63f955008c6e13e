package org.imgedge.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.imgedge.logging.RequestContext;
import org.imgedge.ops.Metrics;
import org.imgedge.problem.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of every request: gives it an id (the client's {@code X-Request-ID} when well formed),
 * and when the response ends records the request in the metrics and the access log, both by route
 * template so that ids in paths do not explode the series.
 *
 * <p>Every request is counted and timed in the metrics; the access log keeps the lines someone reads:
 * 4xx at INFO (a client's mistake) and 5xx at ERROR always, successful requests at DEBUG. An image origin answers tens of
 * thousands of hits a second, mostly through a CDN that keeps its own logs; writing a line for each
 * would cost more than serving it. Set the {@code imgedge.access} logger to DEBUG to see them all.
 */
public final class RequestLog implements Handler<RoutingContext> {

  /** The methods of HTTP/1.1 and PATCH; the metrics label any other token as OTHER. */
  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");

  private static final Logger access = LoggerFactory.getLogger("imgedge.access");
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("X-Request-ID");
  private static final String ID = "requestId";
  private static final String ROUTE = "routeTemplate";
  private static final String PROBLEM = "problemType";

  private final Metrics metrics;
  /** Routed requests not answered yet: what the drain cuts when it closes the connections left open. */
  private final LongAdder underWay = new LongAdder();

  public RequestLog(Metrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    String id = idOf(ctx.request());
    ctx.put(ID, id);
    RequestContext.bind(id); // every line this request causes carries its id, whichever thread writes it
    echoId(ctx);
    underWay.increment();
    ctx.addEndHandler(done -> {
      underWay.decrement();
      record(ctx.request(), id(ctx), route(ctx), ctx.get(PROBLEM), start);
    });
    ctx.next();
  }

  /**
   * For a request answered before the router saw it (see {@link HttpVerticle}): the same id header,
   * then, once answered, the same metrics and log line.
   */
  public Answering direct(HttpServerRequest request, String route) {
    long start = System.nanoTime();
    String id = idOf(request);
    request.response().putHeader(X_REQUEST_ID, id);
    return () -> record(request, id, route, null, start); // answers only successes: failures go through the router
  }

  long underWay() {
    return underWay.sum();
  }

  /** Call once the response ended. */
  @FunctionalInterface
  public interface Answering {
    void answered();
  }

  private void record(HttpServerRequest request, String id, String route, ProblemType problem, long start) {
    long nanos = System.nanoTime() - start;
    int status = request.response().getStatusCode();
    String method = request.method().name();
    // a label from a closed set: every new method token a client invents would otherwise be a new series
    metrics.recordRequest(KNOWN_METHODS.contains(method) ? method : "OTHER", route, status, nanos);
    if (problem != null) {
      metrics.problem(problem);
    }
    if (status >= 400 || access.isDebugEnabled()) {
      // the fast path binds no id while it serves (it logs nothing then); its one line gets it here
      RequestContext.bind(id);
      String line = "{} {} {} {}ms {}B"; // the id is the line's own requestId (see logback.xml)
      Object[] args = {method, route, status, nanos / 1_000_000, request.response().bytesWritten()};
      if (status >= 500) {
        access.error(line, args);
      } else if (status >= 400) {
        access.info(line, args); // a client's mistake: nothing for an operator to act on
      } else {
        access.debug(line, args);
      }
    }
  }

  /** The client's X-Request-ID when well formed, else a new id. */
  private static String idOf(HttpServerRequest request) {
    String given = request.getHeader(X_REQUEST_ID);
    return given != null && WELL_FORMED.matcher(given).matches() ? given : newId();
  }

  /**
   * A request id only has to be unique enough to find one request in the logs; it guards nothing, so it
   * comes from the thread's own generator rather than from SecureRandom, which every caller shares.
   */
  private static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  /** Marks which route template served the request; called by the route table. */
  static Handler<RoutingContext> template(String template) {
    return ctx -> {
      ctx.put(ROUTE, template);
      ctx.next();
    };
  }

  /** Marks the problem the request is answered with, for the metrics; called by the failure handler. */
  static void problem(RoutingContext ctx, ProblemType type) {
    ctx.put(PROBLEM, type);
  }

  public static String id(RoutingContext ctx) {
    String id = ctx.get(ID);
    return id == null ? "-" : id;
  }

  static void echoId(RoutingContext ctx) {
    String id = ctx.get(ID);
    if (id != null) {
      ctx.response().putHeader(X_REQUEST_ID, id);
    }
  }

  private static String route(RoutingContext ctx) {
    String route = ctx.get(ROUTE);
    return route == null ? "unmatched" : route;
  }
}
