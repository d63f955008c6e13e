package org.imgedge.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.imgedge.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of every request: gives it an id (the client's {@code X-Request-ID} when well formed),
 * and when the response ends writes one access-log line and records the request in the metrics,
 * both by route template so that ids in paths do not explode the series.
 */
public final class RequestLog implements Handler<RoutingContext> {

  private static final Logger access = LoggerFactory.getLogger("imgedge.access");
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String ID = "requestId";
  private static final String ROUTE = "routeTemplate";

  private final Metrics metrics;

  public RequestLog(Metrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    String given = ctx.request().getHeader("X-Request-ID");
    ctx.put(ID, given != null && WELL_FORMED.matcher(given).matches() ? given : UUID.randomUUID().toString());
    echoId(ctx);
    ctx.addEndHandler(done -> {
      long nanos = System.nanoTime() - start;
      int status = ctx.response().getStatusCode();
      String route = route(ctx);
      String method = ctx.request().method().name();
      metrics.recordRequest(method, route, status, nanos);
      long bytes = ctx.response().bytesWritten();
      String line = "{} {} {} {} {}ms {}B";
      Object[] args = {id(ctx), method, route, status, nanos / 1_000_000, bytes};
      if (status >= 500) {
        access.error(line, args);
      } else if (status >= 400) {
        access.warn(line, args);
      } else {
        access.info(line, args);
      }
    });
    ctx.next();
  }

  /** Marks which route template served the request; called by the route table. */
  static Handler<RoutingContext> template(String template) {
    return ctx -> {
      ctx.put(ROUTE, template);
      ctx.next();
    };
  }

  public static String id(RoutingContext ctx) {
    String id = ctx.get(ID);
    return id == null ? "-" : id;
  }

  static void echoId(RoutingContext ctx) {
    if (ctx.get(ID) != null) {
      ctx.response().putHeader("X-Request-ID", (String) ctx.get(ID));
    }
  }

  private static String route(RoutingContext ctx) {
    String route = ctx.get(ROUTE);
    return route == null ? "unmatched" : route;
  }
}
