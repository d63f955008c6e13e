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
import org.imgedge.http.AppException;
import org.imgedge.http.ProblemType;
import org.imgedge.http.UrlSignature;
import org.imgedge.support.Ids;

/**
 * {@code GET|HEAD /v1/images/{id}/{preset}.jpg}: variant bytes for phones and CDNs. No key is needed:
 * the unguessable URL is the capability (and, when {@code urls.signingKeys} is set, its {@code sig}).
 * With the current {@code ?v=} the response is immutable for a year; the by-name URL is cacheable for
 * a minute and revalidated by ETag.
 */
public final class VariantsApi {

  static final CharSequence IMMUTABLE = HttpHeaders.createOptimized("public, max-age=31536000, immutable");
  static final CharSequence REVALIDATE = HttpHeaders.createOptimized("public, max-age=60, must-revalidate");
  private static final CharSequence IMAGE_JPEG = HttpHeaders.createOptimized("image/jpeg");

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

  public void get(RoutingContext ctx) {
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
        sendBody(ctx, cached);
      }
      return;
    }
    if (ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH) != null) {
      // Revalidation: decide on the ETag alone, and read the bytes only if they changed.
      cache.head(id, preset).onSuccess(head -> {
        if (!sendHeaders(ctx, head)) {
          cache.get(id, preset).onSuccess(v -> sendBody(ctx, v)).onFailure(ctx::fail);
        }
      }).onFailure(ctx::fail);
      return;
    }
    cache.get(id, preset).onSuccess(v -> {
      sendHeaders(ctx, v.headers());
      sendBody(ctx, v);
    }).onFailure(ctx::fail);
  }

  /** @return true when the client's copy is fresh and a 304 was sent */
  private static boolean sendHeaders(RoutingContext ctx, CachedVariant.Headers headers) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response()
        .putHeader(HttpHeaders.ETAG, headers.etag())
        .putHeader(HttpHeaders.LAST_MODIFIED, headers.lastModified())
        .putHeader(HttpHeaders.CACHE_CONTROL, headers.version().equals(request.getParam("v")) ? IMMUTABLE : REVALIDATE);
    // isFresh compares the request's conditions with the headers just set; most requests have none
    boolean conditional = request.headers().contains(HttpHeaders.IF_NONE_MATCH)
        || request.headers().contains(HttpHeaders.IF_MODIFIED_SINCE);
    if (conditional && ctx.isFresh()) {
      response.setStatusCode(304).end();
      return true;
    }
    return false;
  }

  private static void sendBody(RoutingContext ctx, CachedVariant v) {
    HttpServerResponse response = ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, IMAGE_JPEG)
        .putHeader(HttpHeaders.CONTENT_LENGTH, v.headers().contentLength());
    if (ctx.request().method() == HttpMethod.HEAD) {
      response.end();
    } else {
      response.end(v.bytes());
    }
  }
}
