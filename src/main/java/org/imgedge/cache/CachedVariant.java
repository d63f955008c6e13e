package org.imgedge.cache;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import io.vertx.core.http.HttpHeaders;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.imgedge.catalog.Variant;

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
  private final Buffer bytes;
  private final Headers headers;

  public CachedVariant(Variant variant, Instant lastModified, Buffer bytes) {
    this.variant = variant;
    this.lastModified = lastModified;
    this.bytes = offHeap(bytes);
    this.headers = Headers.of(variant, lastModified);
  }

  /**
   * The socket writes a heap buffer by first copying it into native memory, on every response. A
   * variant is written many times and never changes: it is copied once, here. The copy is unreleasable
   * by Netty and freed by the JDK when the entry is evicted and collected, like any heap object.
   */
  private static Buffer offHeap(Buffer bytes) {
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length());
    direct.put(((BufferInternal) bytes).getByteBuf().nioBuffer()).flip();
    return BufferInternal.buffer(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct)));
  }

  public Variant variant() {
    return variant;
  }

  public Instant lastModified() {
    return lastModified;
  }

  public Buffer bytes() {
    return bytes;
  }

  public Headers headers() {
    return headers;
  }

  /** The response header values of a variant, ready to write. */
  public record Headers(CharSequence etag, String version, CharSequence lastModified, CharSequence contentLength) {

    public static Headers of(Variant variant, Instant lastModified) {
      return new Headers(HttpHeaders.createOptimized(variant.etag()), variant.version(),
          HttpHeaders.createOptimized(HTTP_DATE.format(lastModified)),
          HttpHeaders.createOptimized(Long.toString(variant.bytes())));
    }
  }
}
