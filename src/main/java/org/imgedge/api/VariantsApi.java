package org.imgedge.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import org.imgedge.cache.CachedVariant;
import org.imgedge.cache.VariantCache;
import org.imgedge.catalog.Variant;
import org.imgedge.http.Api;
import org.imgedge.http.FastPath;
import org.imgedge.http.RequestLog;
import org.imgedge.http.Routing;
import org.imgedge.http.UrlSignature;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;
import org.imgedge.support.Ids;

/**
 * {@code GET|HEAD /v1/images/{id}/{preset}.jpg}: variant bytes for phones and CDNs. No key is needed:
 * the unguessable URL is the capability (and, when {@code urls.signingKeys} is set, its {@code sig}).
 * With the current {@code ?v=} the response is immutable for a year; the by-name URL is cacheable for
 * a minute and revalidated by ETag.
 */
public final class VariantsApi implements Api, FastPath {

  static final CharSequence IMMUTABLE = HttpHeaders.createOptimized("public, max-age=31536000, immutable");
  static final CharSequence REVALIDATE = HttpHeaders.createOptimized("public, max-age=60, must-revalidate");
  private static final CharSequence IMAGE_JPEG = HttpHeaders.createOptimized("image/jpeg");

  /** The route template both ways of answering report in the metrics and the access log. */
  public static final String ROUTE = "/v1/images/:id/:file";
  private static final String PREFIX = "/v1/images/";

  private final VariantCache cache;
  private final Set<String> presets;
  private final UrlSignature signature;

  public VariantsApi(VariantCache cache, Set<String> presets, UrlSignature signature) {
    this.cache = cache;
    this.presets = presets;
    this.signature = signature;
  }

  /** The variant's immutable URL, signed when URL signing is configured. */
  static String url(String imageId, Variant v, UrlSignature signature) {
    String path = "/v1/images/" + imageId + "/" + v.preset() + ".jpg";
    return path + "?v=" + v.version() + (signature.enabled() ? "&sig=" + signature.sign(path) : "");
  }

  /**
   * The hot path, tried before the router: a GET or HEAD, by its plain path, of a variant that memory
   * holds is answered at once, without a routing context, path patterns or handler chain, which cost
   * about a third of a cached hit. Anything else (not in memory, a path that is not plain, a bad
   * signature, If-Modified-Since alone) returns false with nothing written, and the router's route
   * for {@link #get} answers it, so its replies, errors included, stay in one place.
   */
  @Override
  public void addRoutes(Routing routing) {
    routing.open(HttpMethod.GET, ROUTE, this::get);
    routing.open(HttpMethod.HEAD, ROUTE, this::get);
  }

  @Override
  public boolean answer(HttpServerRequest request, RequestLog log) {
    HttpMethod method = request.method();
    String path = request.path();
    if ((method != HttpMethod.GET && method != HttpMethod.HEAD) || path == null || !path.startsWith(PREFIX)
        || !path.endsWith(".jpg")) {
      return false;
    }
    int slash = path.indexOf('/', PREFIX.length());
    if (slash < 0 || path.indexOf('/', slash + 1) >= 0) {
      return false;
    }
    String id = path.substring(PREFIX.length(), slash);
    String preset = path.substring(slash + 1, path.length() - 4);
    if (!presets.contains(preset) || !Ids.isWellFormed(id)
        || (signature.enabled() && !signature.verify(path, request.getParam("sig")))) {
      return false;
    }
    String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
    if (ifNoneMatch == null && request.headers().contains(HttpHeaders.IF_MODIFIED_SINCE)) {
      return false;
    }
    CachedVariant cached = cache.getIfCached(id, preset);
    if (cached == null) {
      return false;
    }
    RequestLog.Answering answering = log.direct(request, ROUTE);
    HttpServerResponse response = request.response();
    putHeaders(response, cached.headers(), request.getParam("v"));
    // If-None-Match takes precedence over If-Modified-Since (RFC 9110 13.2.2)
    if (ifNoneMatch != null && noneMatchHits(ifNoneMatch, cached.headers().etag().toString())) {
      response.setStatusCode(304).end();
    } else {
      sendBody(request, cached);
    }
    answering.answered();
    return true;
  }

  /** If-None-Match: "*" or a list of entity tags, compared weakly (RFC 9110 13.1.2). */
  static boolean noneMatchHits(String header, String etag) {
    for (String tag : header.split(",")) {
      String t = tag.trim();
      if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
        return true;
      }
    }
    return false;
  }

  void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String file = ctx.pathParam("file");
    // Checked first, so an unsigned request learns nothing, not even whether the image exists.
    if (signature.enabled() && !signature.verify("/v1/images/" + id + "/" + file, ctx.request().getParam("sig"))) {
      ctx.fail(AppException.of(ProblemType.BAD_SIGNATURE, "This URL needs the valid 'sig' parameter the Image JSON gives."));
      return;
    }
    String preset = file.endsWith(".jpg") ? file.substring(0, file.length() - 4) : null;
    if (preset == null || !presets.contains(preset) || !Ids.isWellFormed(id)) {
      ctx.fail(AppException.of(ProblemType.NOT_FOUND, "No such image or variant."));
      return;
    }
    // Nearly every request of a warm node: answered right here, from memory.
    CachedVariant cached = cache.getIfCached(id, preset);
    if (cached != null) {
      if (!sendHeaders(ctx, cached.headers())) {
        sendBody(ctx.request(), cached);
      }
      return;
    }
    if (ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH) != null) {
      // Revalidation: decide on the ETag alone, and read the bytes only if they changed.
      cache.head(id, preset).onSuccess(head -> {
        if (!sendHeaders(ctx, head)) {
          cache.get(id, preset).onSuccess(v -> sendBody(ctx.request(), v)).onFailure(ctx::fail);
        }
      }).onFailure(ctx::fail);
      return;
    }
    cache.get(id, preset).onSuccess(v -> {
      sendHeaders(ctx, v.headers());
      sendBody(ctx.request(), v);
    }).onFailure(ctx::fail);
  }

  /** @return true when the client's copy is fresh and a 304 was sent */
  private static boolean sendHeaders(RoutingContext ctx, CachedVariant.Headers headers) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    putHeaders(response, headers, request.getParam("v"));
    // isFresh compares the request's conditions with the headers just set; most requests have none
    boolean conditional = request.headers().contains(HttpHeaders.IF_NONE_MATCH)
        || request.headers().contains(HttpHeaders.IF_MODIFIED_SINCE);
    if (conditional && ctx.isFresh()) {
      response.setStatusCode(304).end();
      return true;
    }
    return false;
  }

  private static void putHeaders(HttpServerResponse response, CachedVariant.Headers headers, String givenVersion) {
    response.putHeader(HttpHeaders.ETAG, headers.etag())
        .putHeader(HttpHeaders.LAST_MODIFIED, headers.lastModified())
        .putHeader(HttpHeaders.CACHE_CONTROL, headers.version().equals(givenVersion) ? IMMUTABLE : REVALIDATE);
  }

  private static void sendBody(HttpServerRequest request, CachedVariant v) {
    HttpServerResponse response = request.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, IMAGE_JPEG)
        .putHeader(HttpHeaders.CONTENT_LENGTH, v.headers().contentLength());
    if (request.method() == HttpMethod.HEAD) {
      response.end();
    } else {
      v.body().writeTo(response);
    }
  }
}
