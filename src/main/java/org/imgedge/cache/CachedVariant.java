package org.imgedge.cache;

import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import org.imgedge.catalog.Variant;

/** A variant's bytes with what a response needs to send them: ETag, version and Last-Modified. */
public record CachedVariant(Variant variant, Instant lastModified, Buffer bytes) {}
