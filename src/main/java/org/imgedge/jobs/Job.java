package org.imgedge.jobs;

import java.time.Instant;

/**
 * One lease on one image, as handed to a worker.
 *
 * @param jobId   the lease token: only its holder may complete or fail the job, and a new claim of
 *                the same image gets a new one
 * @param attempt 1 for the first claim of the image, counting failures and expired leases before it
 */
public record Job(String jobId, String imageId, int attempt, Instant leaseExpiresAt) {}
