package org.imgedge.upload;

import org.imgedge.config.Json;

/**
 * {@code uploads.*}: resumable (tus) uploads.
 *
 * @param maxPartial    unfinished uploads one owner may have at once; one more is refused with 429
 * @param expireSeconds an upload with no PATCH for this long is gone, and its bytes are freed
 */
public record UploadsConfig(int maxPartial, long expireSeconds) {
  public static UploadsConfig from(Json j) {
    return new UploadsConfig(j.integer("maxPartial", 20, 1, 10_000), j.number("expireSeconds", 86_400, 1, 30L * 86_400));
  }
}
