package org.imgedge.jobs;

import org.imgedge.config.Json;

/**
 * The AI work queue.
 *
 * @param maxAttempts    claims an image gets (failures and expired leases both count) before it is
 *                       marked {@code failed}
 * @param backoffSeconds wait after the first failure before the image can be claimed again; it
 *                       doubles with each further failure (capped at an hour). 0 retries at once.
 */
public record JobsConfig(int maxAttempts, int backoffSeconds) {
  public static JobsConfig from(Json j) {
    return new JobsConfig(j.integer("maxAttempts", 5, 1, 20), j.integer("backoffSeconds", 10, 0, 3600));
  }
}
