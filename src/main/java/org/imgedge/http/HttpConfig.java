package org.imgedge.http;

import org.imgedge.config.Json;

/**
 * @param drainSeconds         on SIGTERM, how long requests under way may take to finish before the process exits
 * @param minBytesPerSecond    a request body arriving slower than this, averaged over the last
 *                             {@code rateWindowSeconds}, is cut off (408); 0 turns the check off
 * @param rateWindowSeconds    the averaging window, and the grace a body gets before it is first checked
 * @param headerTimeoutSeconds a request's head (request line and headers) must be complete this long
 *                             after its first byte arrived; an idle keep-alive connection is not affected
 */
public record HttpConfig(String host, int port, int instances, int drainSeconds, int minBytesPerSecond,
    int rateWindowSeconds, int headerTimeoutSeconds) {
  public static HttpConfig from(Json j) {
    int cores = Runtime.getRuntime().availableProcessors();
    return new HttpConfig(j.string("host", "0.0.0.0"), j.integer("port", 8080, 0, 65535), j.integer("instances", cores, 1, 64),
        j.integer("drainSeconds", 30, 0, 3600), j.integer("minBytesPerSecond", 16_384, 0, 100_000_000),
        j.integer("rateWindowSeconds", 10, 1, 600), j.integer("headerTimeoutSeconds", 10, 1, 600));
  }
}
