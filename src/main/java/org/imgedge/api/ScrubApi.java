package org.imgedge.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import org.imgedge.auth.Role;
import org.imgedge.http.Api;
import org.imgedge.http.Routing;
import org.imgedge.http.Routing.Body;
import org.imgedge.scrub.Scrub;

/** {@code /v1/admin/scrub}: start an integrity scrub on this node, and read its report. */
public final class ScrubApi implements Api {

  private final Scrub scrub;

  public ScrubApi(Scrub scrub) {
    this.scrub = scrub;
  }

  @Override
  public void addRoutes(Routing routing) {
    routing.guarded(HttpMethod.POST, "/v1/admin/scrub", Set.of(Role.ADMIN), Body.NONE, this::start);
    routing.guarded(HttpMethod.GET, "/v1/admin/scrub", Set.of(Role.ADMIN), Body.NONE, ctx -> JsonResponse.send(ctx, scrub.report()));
  }

  /** 202: the scrub runs in the background; GET shows its report as it goes. */
  private void start(RoutingContext ctx) {
    ctx.response().setStatusCode(202);
    JsonResponse.send(ctx, scrub.start());
  }
}
