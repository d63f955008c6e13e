package org.imgedge.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import org.imgedge.auth.Role;
import org.imgedge.catalog.CatalogRepository;
import org.imgedge.catalog.Image;
import org.imgedge.http.Api;
import org.imgedge.http.Routing;
import org.imgedge.http.Routing.Body;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;
import org.imgedge.storage.BlobKey;
import org.imgedge.storage.BlobStore;
import org.imgedge.support.Ids;

/** {@code GET /v1/images/{id}/original}: the exact uploaded bytes, for AI workers (never for phones). */
public final class OriginalsApi implements Api {

  private final CatalogRepository catalog;
  private final BlobStore store;

  public OriginalsApi(CatalogRepository catalog, BlobStore store) {
    this.catalog = catalog;
    this.store = store;
  }

  @Override
  public void addRoutes(Routing routing) {
    // before the variants' /v1/images/:id/:file, which this path would match too
    routing.guarded(HttpMethod.GET, "/v1/images/:id/original", Set.of(Role.WORKER, Role.ADMIN), Body.NONE, this::get);
    routing.guarded(HttpMethod.HEAD, "/v1/images/:id/original", Set.of(Role.WORKER, Role.ADMIN), Body.NONE, this::get);
  }

  void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Ids.isWellFormed(id)) {
      ctx.fail(AppException.of(ProblemType.NOT_FOUND, "No such image."));
      return;
    }
    catalog.find(id)
        .map(found -> found.orElseThrow(() -> AppException.of(ProblemType.NOT_FOUND, "No such image.")))
        .compose(image -> store.open(BlobKey.original(id)).map(stream -> {
          Image.Original o = image.original();
          ctx.response()
              .putHeader(HttpHeaders.CONTENT_TYPE, o.contentType())
              .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(o.bytes()))
              .putHeader(HttpHeaders.CACHE_CONTROL, "private, no-store")
              .putHeader(HttpHeaders.ETAG, "\"" + o.sha256() + "\"");
          return stream;
        }))
        .compose(stream -> stream.pipeTo(ctx.response()))
        .onFailure(ctx::fail);
  }
}
