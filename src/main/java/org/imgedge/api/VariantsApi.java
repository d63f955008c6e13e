package org.imgedge.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.imgedge.cache.CachedVariant;
import org.imgedge.cache.VariantCache;
import org.imgedge.catalog.Variant;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.http.Api;
import org.imgedge.http.FastPath;
import org.imgedge.http.RequestLog;
import org.imgedge.http.Routing;
import org.imgedge.http.UrlSignature;
import org.imgedge.imaging.Preset;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;
import org.imgedge.support.Ids;

/**
 * {@code GET|HEAD /v1/images/{id}/{preset}.jpg} (and {@code .webp}, {@code .avif}): variant bytes for phones and CDNs. No key is needed:
 * the unguessable URL is the capability (and, when {@code urls.signingKeys} is set, its {@code sig}).
 * With the current {@code ?v=} the response is immutable for a year; the by-name URL is cacheable for
 * a minute and revalidated by ETag.
 */
public final class VariantsApi implements Api, FastPath {

  static final CharSequence IMMUTABLE = HttpHeaders.createOptimized("public, max-age=31536000, immutable");
  static final CharSequence REVALIDATE = HttpHeaders.createOptimized("public, max-age=60, must-revalidate");
  /** Each format's Content-Type, by ordinal, rendered once. */
  private static final CharSequence[] CONTENT_TYPES = Arrays.stream(VariantFormat.values())
      .map(f -> HttpHeaders.createOptimized(f.contentType())).toArray(CharSequence[]::new);
  private static final CharSequence SURROGATE_KEY = HttpHeaders.createOptimized("Surrogate-Key");
  private static final CharSequence CACHE_TAG = HttpHeaders.createOptimized("Cache-Tag");

  /** The route template both ways of answering report in the metrics and the access log. */
  public static final String ROUTE = "/v1/images/:id/:file";
  private static final String PREFIX = "/v1/images/";

  private final VariantCache cache;
  private final UrlSignature signature;

  public VariantsApi(VariantCache cache, UrlSignature signature) {
    this.cache = cache;
    this.signature = signature;
  }

  /** The variant's immutable URL, signed when URL signing is configured. */
  static String url(String imageId, Variant v, UrlSignature signature) {
    String path = v.path(imageId);
    return path + "?v=" + v.version() + (signature.enabled() ? "&sig=" + signature.sign(path) : "");
  }

  @Override
  public void addRoutes(Routing routing) {
    routing.open(HttpMethod.GET, ROUTE, this::get);
    routing.open(HttpMethod.HEAD, ROUTE, this::get);
  }

  /** The variant a request names: what both ways of answering serve once {@link #target} let it through. */
  private record Target(String imageId, String preset, VariantFormat format) {}

  /**
   * The rules both ways of answering apply, in one place: the signature first, so an unsigned request
   * learns nothing, not even whether the image exists; then the shapes of the preset name and the id.
   * Which presets exist is the image's record's to say (see {@link VariantCache#get}): presets change
   * while the service runs.
   *
   * @param path {@code /v1/images/<id>/<file>}
   * @throws AppException 403 for a bad signature, 404 for a name that cannot be a variant
   */
  private Target target(String path, String imageId, String file, String sig) {
    if (signature.enabled() && !signature.verify(path, sig)) {
      throw AppException.of(ProblemType.BAD_SIGNATURE, "This URL needs the valid 'sig' parameter the Image JSON gives.");
    }
    int dot = file.lastIndexOf('.');
    VariantFormat format = dot < 0 ? null : VariantFormat.ofExtension(file.substring(dot + 1));
    String preset = format == null ? null : file.substring(0, dot);
    if (preset == null || !Preset.isWellFormedName(preset) || !Ids.isWellFormed(imageId)) {
      throw AppException.of(ProblemType.NOT_FOUND, "No such image or variant.");
    }
    return new Target(imageId, preset, format);
  }

  /**
   * The hot path, tried before the router: a GET or HEAD, by its plain path, of a variant that memory
   * holds is answered at once, without a routing context, path patterns or handler chain, which cost
   * about a third of a cached hit. Anything else (not in memory, a path that is not plain, a refusal)
   * returns false with nothing written, and the router's route for {@link #get} answers it, so the
   * errors are written in one place.
   */
  @Override
  public boolean answer(HttpServerRequest request, RequestLog log) {
    HttpMethod method = request.method();
    String path = request.path();
    if ((method != HttpMethod.GET && method != HttpMethod.HEAD) || path == null || !path.startsWith(PREFIX)) {
      return false;
    }
    int slash = path.indexOf('/', PREFIX.length());
    if (slash < 0 || path.indexOf('/', slash + 1) >= 0) {
      return false;
    }
    Target target;
    try {
      target = target(path, path.substring(PREFIX.length(), slash), path.substring(slash + 1), request.getParam("sig"));
    } catch (AppException refused) {
      return false;
    }
    CachedVariant cached = cache.getIfCached(target.imageId(), target.preset(), target.format());
    if (cached == null) {
      return false;
    }
    RequestLog.Answering answering = log.direct(request, ROUTE);
    if (!sendHeaders(request, cached.headers())) {
      sendBody(request, cached);
    }
    answering.answered();
    return true;
  }

  void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String file = ctx.pathParam("file");
    HttpServerRequest request = ctx.request();
    Target target;
    try {
      target = target(PREFIX + id + "/" + file, id, file, request.getParam("sig"));
    } catch (AppException refused) {
      ctx.fail(refused);
      return;
    }
    // What the fast path could not answer from memory: a path in another spelling, or a cold variant
    CachedVariant cached = cache.getIfCached(target.imageId(), target.preset(), target.format());
    if (cached != null) {
      if (!sendHeaders(request, cached.headers())) {
        sendBody(request, cached);
      }
      return;
    }
    if (request.getHeader(HttpHeaders.IF_NONE_MATCH) != null) {
      // Revalidation: decide on the ETag alone, and read the bytes only if they changed.
      cache.head(target.imageId(), target.preset(), target.format()).onSuccess(head -> {
        if (!sendHeaders(request, head)) {
          cache.get(target.imageId(), target.preset(), target.format()).onSuccess(v -> sendBody(request, v)).onFailure(ctx::fail);
        }
      }).onFailure(ctx::fail);
      return;
    }
    cache.get(target.imageId(), target.preset(), target.format()).onSuccess(v -> {
      if (!sendHeaders(request, v.headers())) {
        sendBody(request, v);
      }
    }).onFailure(ctx::fail);
  }

  /** @return true when the client's copy is fresh and a 304 was sent */
  private static boolean sendHeaders(HttpServerRequest request, CachedVariant.Headers headers) {
    HttpServerResponse response = request.response();
    putHeaders(response, headers, request.getParam("v"));
    if (notModified(request, headers)) {
      response.setStatusCode(304).end();
      return true;
    }
    return false;
  }

  /**
   * If-None-Match when sent, which takes precedence (RFC 9110 13.2.2), else If-Modified-Since: the
   * client's copy is current when its date is not older than the variant's Last-Modified.
   */
  static boolean notModified(HttpServerRequest request, CachedVariant.Headers headers) {
    String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
    if (ifNoneMatch != null) {
      return noneMatchHits(ifNoneMatch, headers.etag().toString());
    }
    String ifModifiedSince = request.getHeader(HttpHeaders.IF_MODIFIED_SINCE);
    if (ifModifiedSince == null) {
      return false;
    }
    try {
      Instant since = Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(ifModifiedSince));
      Instant modified = Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(headers.lastModified()));
      return !modified.isAfter(since);
    } catch (DateTimeException unparsable) {
      return false; // an invalid date is ignored (RFC 9110 13.1.3)
    }
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

  private static void putHeaders(HttpServerResponse response, CachedVariant.Headers headers, String givenVersion) {
    response.putHeader(HttpHeaders.ETAG, headers.etag())
        .putHeader(HttpHeaders.LAST_MODIFIED, headers.lastModified())
        .putHeader(HttpHeaders.CACHE_CONTROL, headers.version().equals(givenVersion) ? IMMUTABLE : REVALIDATE)
        // the image's tag, under both names CDNs purge by
        .putHeader(SURROGATE_KEY, headers.surrogateKey())
        .putHeader(CACHE_TAG, headers.surrogateKey());
  }

  private static void sendBody(HttpServerRequest request, CachedVariant v) {
    HttpServerResponse response = request.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPES[v.variant().format().ordinal()])
        .putHeader(HttpHeaders.CONTENT_LENGTH, v.headers().contentLength());
    if (request.method() == HttpMethod.HEAD) {
      response.end();
    } else {
      v.body().writeTo(response);
    }
  }
}
