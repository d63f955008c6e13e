package org.imgedge.api;

import io.vertx.core.http.HttpMethod;
import java.util.Set;
import org.imgedge.auth.Role;
import org.imgedge.http.Api;
import org.imgedge.http.Routing;
import org.imgedge.http.Routing.Body;
import org.imgedge.presets.Regeneration;

/** {@code GET /v1/admin/presets}: the deployment's presets, and how far the regeneration to them is. */
public final class PresetsApi implements Api {

  private final Regeneration regeneration;

  public PresetsApi(Regeneration regeneration) {
    this.regeneration = regeneration;
  }

  @Override
  public void addRoutes(Routing routing) {
    routing.guarded(HttpMethod.GET, "/v1/admin/presets", Set.of(Role.ADMIN), Body.NONE,
        ctx -> regeneration.report().onSuccess(report -> JsonResponse.send(ctx, report)).onFailure(ctx::fail));
  }
}
