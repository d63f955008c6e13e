package org.imgedge.upload;

import io.vertx.core.Future;
import java.util.List;
import org.imgedge.storage.PartStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees expired uploads: their row, then their parts. The row goes first, and only while it is still
 * expired, so a PATCH can no longer acknowledge bytes (its advance needs the unexpired row) once their
 * deletion may have begun; a PATCH that stored a part meanwhile loses its advance and deletes that part
 * itself. A crash between the two steps leaves parts no row leads to (see docs/operations.md). Every node
 * runs it; two nodes freeing the same upload both succeed, as deleting what is gone succeeds.
 */
public final class TusSweep {

  private static final Logger log = LoggerFactory.getLogger(TusSweep.class);
  private static final int BATCH = 100;
  private final TusRepository repository;
  private final PartStore parts;

  TusSweep(TusRepository repository, PartStore parts) {
    this.repository = repository;
    this.parts = parts;
  }

  /** @return how many uploads were freed; one that fails is logged and left for the next run, the others go on */
  public Future<Integer> run() {
    long now = System.currentTimeMillis();
    return repository.expired(now, BATCH).compose(ids -> free(ids, now));
  }

  private Future<Integer> free(List<String> ids, long now) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (String id : ids) {
      chain = chain.compose(n -> repository.deleteExpired(id, now)
          .compose(deleted -> deleted ? parts.deleteAll(id).map(n + 1) : Future.succeededFuture(n))
          .otherwise(e -> {
            log.warn("resumable upload {}: not freed this time ({})", id, e.toString());
            return n;
          }));
    }
    return chain;
  }
}
