package org.imgedge.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.imgedge.http.Api;
import org.imgedge.http.Routing;
import org.imgedge.ops.Health;
import org.imgedge.ops.Metrics;
import org.imgedge.problem.AppException;

/** Health, metrics and the published contract: no key needed. */
public final class OpsApi implements Api {

  private final Health health;
  private final Metrics metrics;
  private final Buffer openApi;

  public OpsApi(Health health, Metrics metrics, Buffer openApi) {
    this.health = health;
    this.metrics = metrics;
    this.openApi = openApi;
  }

  @Override
  public void addRoutes(Routing routing) {
    routing.open(HttpMethod.GET, "/health/live", this::live);
    routing.open(HttpMethod.GET, "/health/ready", this::ready);
    routing.open(HttpMethod.GET, "/metrics", this::metrics);
    routing.open(HttpMethod.GET, "/openapi.yaml", this::openApi);
  }

  void live(RoutingContext ctx) {
    JsonResponse.send(ctx, new JsonObject().put("status", "up"));
  }

  void ready(RoutingContext ctx) {
    health.check().onSuccess(checks -> {
      String down = checks.stream().filter(e -> String.valueOf(e.getValue()).startsWith("down"))
          .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + "; " + b).orElse(null);
      if (down != null) {
        ctx.fail(AppException.unavailable("Not ready: " + down + "."));
      } else {
        boolean degraded = checks.stream().anyMatch(e -> !"up".equals(e.getValue()));
        JsonResponse.send(ctx, new JsonObject().put("status", degraded ? "degraded" : "up").put("checks", checks));
      }
    });
  }

  void metrics(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape());
  }

  void openApi(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml").end(openApi);
  }
}
