package org.imgedge.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;
import org.imgedge.auth.BearerAuthHandler;
import org.imgedge.auth.Paused;
import org.imgedge.auth.Principal;
import org.imgedge.auth.Role;
import org.imgedge.cache.ListPageCache;
import org.imgedge.catalog.CatalogRepository;
import org.imgedge.catalog.Image;
import org.imgedge.catalog.Page;
import org.imgedge.http.Api;
import org.imgedge.http.Routing;
import org.imgedge.http.Routing.Body;
import org.imgedge.http.UploadBodyHandler;
import org.imgedge.http.UrlSignature;
import org.imgedge.ingest.DeleteService;
import org.imgedge.ingest.IngestService;
import org.imgedge.ingest.Upload;
import org.imgedge.ingest.UploadRate;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;
import org.imgedge.support.Ids;

/** {@code /v1/images}: upload, list, read and delete images. */
public final class ImagesApi implements Api {

  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 200;
  private static final Pattern LIMIT = Pattern.compile("\\d{1,3}");
  private static final CharSequence PRIVATE_REVALIDATE = HttpHeaders.createOptimized("private, no-cache");

  private final IngestService ingest;
  private final CatalogRepository catalog;
  private final DeleteService deletion;
  private final UrlSignature signature;
  private final ListPageCache lists;
  private final UploadRate uploadRate;

  public ImagesApi(IngestService ingest, DeleteService deletion, CatalogRepository catalog, UrlSignature signature,
      ListPageCache lists, UploadRate uploadRate) {
    this.ingest = ingest;
    this.deletion = deletion;
    this.catalog = catalog;
    this.signature = signature;
    this.lists = lists;
    this.uploadRate = uploadRate;
  }

  @Override
  public void addRoutes(Routing routing) {
    routing.guarded(HttpMethod.POST, "/v1/images", Set.of(Role.CLIENT, Role.ADMIN), uploadRate.enabled() ? this::withinRate : null,
        Body.UPLOAD, this::upload);
    routing.guarded(HttpMethod.GET, "/v1/images", Set.of(Role.CLIENT, Role.ADMIN), Body.NONE, this::list);
    routing.guarded(HttpMethod.GET, "/v1/images/:id", Set.of(Role.CLIENT, Role.ADMIN), Body.NONE, this::get);
    routing.guarded(HttpMethod.DELETE, "/v1/images/:id", Set.of(Role.CLIENT, Role.ADMIN), Body.NONE, this::delete);
  }

  /** The owner's upload limit, before the body: a refused upload is answered 429 with nothing read or kept. */
  void withinRate(RoutingContext ctx) {
    Paused.until(ctx, uploadRate.acquire(BearerAuthHandler.principal(ctx).subject()), v -> ctx.next());
  }

  void upload(RoutingContext ctx) {
    Path file = UploadBodyHandler.file(ctx);
    ingest.ingest(new Upload(file, BearerAuthHandler.principal(ctx)))
        .onSuccess(result -> {
          int status = result.created() ? 201 : 200;
          ctx.response().setStatusCode(status).putHeader(HttpHeaders.LOCATION, "/v1/images/" + result.image().id());
          JsonResponse.send(ctx, ImageJson.of(result.image(), signature));
        })
        .onFailure(ctx::fail);
  }

  void list(RoutingContext ctx) {
    Principal principal = BearerAuthHandler.principal(ctx);
    int limit = limit(ctx.request().getParam("limit"));
    String given = ctx.request().getParam("cursor");
    String cursor = given == null || given.isEmpty() ? null : given;
    String owner = principal.isAdmin() ? null : principal.subject();
    lists.page(owner, cursor, limit, () -> catalog.list(owner, cursor, limit).map(this::render))
        .recover(e -> Future.failedFuture(e instanceof IllegalArgumentException
            ? AppException.of(ProblemType.BAD_REQUEST, "The cursor is not one this service gave out.") : e))
        .onSuccess(page -> sendPage(ctx, page))
        .onFailure(ctx::fail);
  }

  private Buffer render(Page page) {
    JsonArray items = new JsonArray();
    page.items().forEach(i -> items.add(ImageJson.of(i, signature)));
    return new JsonObject().put("items", items).put("nextCursor", page.nextCursor()).toBuffer();
  }

  /**
   * Private (it is one user's data) but revalidatable: a phone sends the ETag back and gets a 304 with
   * no body while nothing in its list changed.
   */
  private static void sendPage(RoutingContext ctx, ListPageCache.Page page) {
    HttpServerResponse response = ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, JsonResponse.APPLICATION_JSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, PRIVATE_REVALIDATE)
        .putHeader(HttpHeaders.ETAG, page.etag());
    if (ctx.request().headers().contains(HttpHeaders.IF_NONE_MATCH) && ctx.isFresh()) {
      response.setStatusCode(304).end();
    } else {
      response.end(page.body());
    }
  }

  void get(RoutingContext ctx) {
    visibleImage(ctx).onSuccess(image -> JsonResponse.send(ctx, ImageJson.of(image, signature))).onFailure(ctx::fail);
  }

  void delete(RoutingContext ctx) {
    visibleImage(ctx)
        .compose(deletion::delete)
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
    if (!LIMIT.matcher(value).matches() || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_LIMIT) {
      throw AppException.of(ProblemType.BAD_REQUEST, "limit must be a whole number from 1 to " + MAX_LIMIT + ".");
    }
    return Integer.parseInt(value);
  }
}
