package org.imgedge.upload;

import io.vertx.core.Future;
import java.util.List;
import org.imgedge.storage.PartStore;

/**
 * Frees expired uploads: their parts, then their row (in that order, so a crash in between leaves a row
 * that the next sweep finds again, never bytes that no row leads to). Every node runs it; two nodes
 * freeing the same upload both succeed, as deleting what is gone succeeds.
 */
public final class TusSweep {

  private static final int BATCH = 100;
  private final TusRepository repository;
  private final PartStore parts;

  TusSweep(TusRepository repository, PartStore parts) {
    this.repository = repository;
    this.parts = parts;
  }

  /** @return how many uploads were freed */
  public Future<Integer> run() {
    return repository.expired(System.currentTimeMillis(), BATCH).compose(this::free);
  }

  private Future<Integer> free(List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.compose(v -> parts.deleteAll(id)).compose(v -> repository.delete(id));
    }
    return chain.map(ids.size());
  }
}
