package org.imgedge.cache;

import io.vertx.core.http.HttpHeaders;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.imgedge.catalog.Variant;
import org.imgedge.cdn.SurrogateKey;

/**
 * A variant's bytes with what a response needs to send them: ETag, version and Last-Modified. The
 * header values are rendered once when the variant enters the cache, not on each of its many hits.
 */
public final class CachedVariant {

  /** IMF-fixdate (RFC 9110), always two-digit days, unlike DateTimeFormatter.RFC_1123_DATE_TIME. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private final Variant variant;
  private final Instant lastModified;
  private final VariantBody body;
  private final Headers headers;

  CachedVariant(String imageId, Variant variant, Instant lastModified, VariantBody body) {
    this.variant = variant;
    this.lastModified = lastModified;
    this.body = body;
    this.headers = Headers.of(imageId, variant, lastModified);
  }

  public Variant variant() {
    return variant;
  }

  public Instant lastModified() {
    return lastModified;
  }

  public VariantBody body() {
    return body;
  }

  public Headers headers() {
    return headers;
  }

  /**
   * The response header values of a variant, ready to write.
   *
   * @param surrogateKey the tag a CDN purges all of the image's variants by ({@link SurrogateKey})
   */
  public record Headers(CharSequence etag, String version, CharSequence lastModified, CharSequence contentLength,
      CharSequence surrogateKey) {

    public static Headers of(String imageId, Variant variant, Instant lastModified) {
      return new Headers(HttpHeaders.createOptimized(variant.etag()), variant.version(),
          HttpHeaders.createOptimized(HTTP_DATE.format(lastModified)),
          HttpHeaders.createOptimized(Long.toString(variant.bytes())),
          HttpHeaders.createOptimized(SurrogateKey.of(imageId)));
    }
  }
}
