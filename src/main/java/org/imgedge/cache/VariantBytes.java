package org.imgedge.cache;

import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import org.imgedge.catalog.Variant;

/** A variant as a lower tier (Redis, storage) gives it: its row, its image's time and its bytes. */
record VariantBytes(Variant variant, Instant lastModified, Buffer bytes) {}
