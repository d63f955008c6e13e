package org.imgedge.upload;

import org.imgedge.config.Json;

/**
 * {@code uploads.*}: resumable (tus) uploads.
 *
 * @param maxPartial    unfinished uploads one owner may have at once; one more is refused with 429
 * @param expireSeconds an upload with no PATCH for this long is gone, and its bytes are freed
 * @param maxParts      PATCHes that may store bytes in one upload; past it a PATCH is refused with 413, so the
 *                      part list (and the work of each append to it) stays bounded even with 1-byte PATCHes
 */
public record UploadsConfig(int maxPartial, long expireSeconds, int maxParts) {
  public static UploadsConfig from(Json j) {
    return new UploadsConfig(j.integer("maxPartial", 20, 1, 10_000), j.number("expireSeconds", 86_400, 1, 30L * 86_400),
        j.integer("maxParts", 1_000, 1, 100_000));
  }
}
