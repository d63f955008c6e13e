package org.imgedge.api;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import org.imgedge.auth.BearerAuthHandler;
import org.imgedge.auth.Principal;
import org.imgedge.cache.VariantCache;
import org.imgedge.catalog.CatalogRepository;
import org.imgedge.catalog.Image;
import org.imgedge.http.AppException;
import org.imgedge.http.ProblemType;
import org.imgedge.http.UploadBodyHandler;
import org.imgedge.http.UrlSignature;
import org.imgedge.ingest.IngestService;
import org.imgedge.ingest.Upload;
import org.imgedge.storage.BlobStore;
import org.imgedge.support.Ids;

/** {@code /v1/images}: upload, list, read and delete images. */
public final class ImagesApi {

  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 200;

  private final IngestService ingest;
  private final CatalogRepository catalog;
  private final BlobStore store;
  private final VariantCache cache;
  private final UrlSignature signature;

  public ImagesApi(IngestService ingest, CatalogRepository catalog, BlobStore store, VariantCache cache, UrlSignature signature) {
    this.ingest = ingest;
    this.catalog = catalog;
    this.store = store;
    this.cache = cache;
    this.signature = signature;
  }

  public void upload(RoutingContext ctx) {
    Path file = UploadBodyHandler.file(ctx);
    ingest.ingest(new Upload(file, UploadBodyHandler.declaredType(ctx), BearerAuthHandler.principal(ctx)))
        .onSuccess(result -> {
          int status = result.created() ? 201 : 200;
          ctx.response().setStatusCode(status).putHeader(HttpHeaders.LOCATION, "/v1/images/" + result.image().id());
          JsonResponse.send(ctx, ImageJson.of(result.image(), signature));
        })
        .onFailure(ctx::fail);
  }

  public void list(RoutingContext ctx) {
    Principal principal = BearerAuthHandler.principal(ctx);
    int limit = limit(ctx.request().getParam("limit"));
    String cursor = ctx.request().getParam("cursor");
    catalog.list(principal.isAdmin() ? null : principal.subject(), cursor == null || cursor.isEmpty() ? null : cursor, limit)
        .recover(e -> Future.failedFuture(e instanceof IllegalArgumentException
            ? AppException.of(ProblemType.BAD_REQUEST, "The cursor is not one this service gave out.") : e))
        .onSuccess(page -> {
          JsonArray items = new JsonArray();
          page.items().forEach(i -> items.add(ImageJson.of(i, signature)));
          JsonResponse.send(ctx, new JsonObject().put("items", items).put("nextCursor", page.nextCursor()));
        })
        .onFailure(ctx::fail);
  }

  public void get(RoutingContext ctx) {
    visibleImage(ctx).onSuccess(image -> JsonResponse.send(ctx, ImageJson.of(image, signature))).onFailure(ctx::fail);
  }

  public void delete(RoutingContext ctx) {
    visibleImage(ctx)
        .compose(image -> catalog.delete(image.id())
            .compose(v -> store.deleteImage(image.id()))
            .compose(v -> cache.invalidate(image.id())))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /** The image when the caller may see it; another owner's image is answered 404, as if it did not exist. */
  private Future<Image> visibleImage(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Principal principal = BearerAuthHandler.principal(ctx);
    if (!Ids.isWellFormed(id)) {
      return Future.failedFuture(notFound());
    }
    return catalog.find(id).map(found -> found.filter(i -> principal.mayRead(i.owner())).orElseThrow(ImagesApi::notFound));
  }

  private static AppException notFound() {
    return AppException.of(ProblemType.NOT_FOUND, "No such image.");
  }

  private static int limit(String value) {
    if (value == null || value.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    if (!value.matches("\\d{1,3}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_LIMIT) {
      throw AppException.of(ProblemType.BAD_REQUEST, "limit must be a whole number from 1 to " + MAX_LIMIT + ".");
    }
    return Integer.parseInt(value);
  }
}
