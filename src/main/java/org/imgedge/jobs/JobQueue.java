package org.imgedge.jobs;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Optional;
import org.imgedge.catalog.AnalysisStatus;
import org.imgedge.catalog.CatalogChanges;
import org.imgedge.catalog.Sql;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;
import org.imgedge.support.Ids;

/**
 * The AI work queue: workers claim the oldest image not yet analysed under a lease, then complete or
 * fail it. A failed job is retried after a doubling backoff until {@code jobs.maxAttempts}; a lease
 * that runs out makes the image claimable again. Safe across nodes: all state is in the database.
 */
public final class JobQueue {

  /** The longest backoff, whatever the attempt: an hour. */
  private static final long MAX_BACKOFF_MILLIS = 3_600_000L;
  private static final int MAX_ERROR_LENGTH = 2000;

  private final JobRepository repository;
  private final JobsConfig config;
  private final Clock clock;
  private volatile JobStats latest = JobStats.empty();

  private JobQueue(JobRepository repository, JobsConfig config, Clock clock) {
    this.repository = repository;
    this.config = config;
    this.clock = clock;
  }

  public static JobQueue create(Sql sql, JobsConfig config, Clock clock) {
    return create(sql, config, clock, CatalogChanges.NONE);
  }

  /** @param changes told whose image changed analysis status (it shows in the Image JSON) */
  public static JobQueue create(Sql sql, JobsConfig config, Clock clock, CatalogChanges changes) {
    return new JobQueue(new JobRepository(sql, changes), config, clock);
  }

  /** @return a lease of {@code leaseSeconds} on the oldest claimable image, or empty when there is none */
  public Future<Optional<Job>> claim(int leaseSeconds) {
    long now = clock.millis();
    return repository.claim(Ids.next(), now, now + leaseSeconds * 1000L, config.maxAttempts());
  }

  /**
   * Records the worker's result. A late result is still taken while nobody else holds the image:
   * only a new claim (or the end of the job) makes a job id stale.
   *
   * @return fails with NOT_FOUND for a job id never issued, CONFLICT for a stale one
   */
  public Future<Void> complete(String jobId, JsonObject result) {
    if (!Ids.isWellFormed(jobId)) {
      return Future.failedFuture(unknown());
    }
    return repository.complete(jobId, result).compose(done -> done ? Future.succeededFuture() : staleOrUnknown(jobId));
  }

  /**
   * Records a failure: the image is retried after the backoff, or marked failed after the last attempt.
   *
   * @return fails with NOT_FOUND for a job id never issued, CONFLICT for a stale one
   */
  public Future<Void> fail(String jobId, String error) {
    if (!Ids.isWellFormed(jobId)) {
      return Future.failedFuture(unknown());
    }
    String message = error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
    return repository.attempt(jobId)
        .map(attempt -> attempt.orElseThrow(JobQueue::unknown))
        .compose(attempt -> {
          boolean last = attempt >= config.maxAttempts();
          long availableAt = clock.millis() + backoffMillis(attempt);
          return repository.fail(jobId, last ? AnalysisStatus.FAILED : AnalysisStatus.PENDING, message, availableAt);
        })
        .compose(done -> done ? Future.succeededFuture() : Future.failedFuture(stale()));
  }

  /** Reads the counts afresh (after giving up on leases that expired on their last attempt) and caches them. */
  public Future<JobStats> stats() {
    long now = clock.millis();
    return repository.giveUpExpired(now, config.maxAttempts())
        .compose(v -> repository.stats(now))
        .onSuccess(s -> latest = s);
  }

  /** The figures of the last {@link #stats()}: for gauges, which must not wait on the database. */
  public JobStats latestStats() {
    return latest;
  }

  /** {@code backoffSeconds} after the first failure, doubling after each further one, capped at an hour. */
  long backoffMillis(int attempt) {
    long base = config.backoffSeconds() * 1000L;
    return Math.min(MAX_BACKOFF_MILLIS, base << Math.min(attempt - 1, 20));
  }

  private Future<Void> staleOrUnknown(String jobId) {
    return repository.attempt(jobId).compose(issued -> Future.failedFuture(issued.isPresent() ? stale() : unknown()));
  }

  private static AppException unknown() {
    return AppException.of(ProblemType.NOT_FOUND, "No such job.");
  }

  private static AppException stale() {
    return AppException.of(ProblemType.CONFLICT,
        "This job is over: its lease was taken by a newer claim, or its result was already recorded.");
  }
}
