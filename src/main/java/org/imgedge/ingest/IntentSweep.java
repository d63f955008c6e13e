package org.imgedge.ingest;

import io.vertx.core.Future;
import java.util.List;
import org.imgedge.catalog.BlobIntents;
import org.imgedge.catalog.CatalogRepository;
import org.imgedge.catalog.IntentHolder;
import org.imgedge.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the blobs that a crash left without a row, exactly: those of the blob intents that lost their
 * holder (see {@link BlobIntents}). An intent is taken over first, so one node sweeps it, and a live
 * upload whose lease ran out finds it gone and records nothing. Its blobs are then removed, unless a row
 * names the image after all, and the intent with them.
 */
public final class IntentSweep {

  private static final Logger log = LoggerFactory.getLogger(IntentSweep.class);
  private static final int BATCH = 100;

  private final BlobIntents intents;
  private final CatalogRepository catalog;
  private final BlobStore store;
  private final IntentHolder me;

  public IntentSweep(BlobIntents intents, CatalogRepository catalog, BlobStore store, IntentHolder me) {
    this.intents = intents;
    this.catalog = catalog;
    this.store = store;
    this.me = me;
  }

  /** @return how many images' blobs were removed */
  public Future<Integer> run() {
    long start = System.nanoTime();
    return sweep(0).onSuccess(n -> {
      if (n > 0) {
        log.info("intent sweep: removed the blobs of {} image(s) that a crash left unrecorded, in {} ms", n,
            (System.nanoTime() - start) / 1_000_000);
      }
    });
  }

  private Future<Integer> sweep(int removedSoFar) {
    return intents.abandoned(System.currentTimeMillis(), me, BATCH).compose(batch -> {
      Future<Integer> removed = Future.succeededFuture(removedSoFar);
      for (BlobIntents.Intent intent : batch) {
        removed = removed.compose(n -> sweepOne(intent).map(gone -> gone ? n + 1 : n));
      }
      return batch.size() < BATCH ? removed : removed.compose(this::sweep);
    });
  }

  /** @return whether its blobs were removed */
  private Future<Boolean> sweepOne(BlobIntents.Intent intent) {
    String id = intent.imageId();
    IntentHolder sweeper = me.sweeper();
    return intents.takeOver(intent, sweeper, System.currentTimeMillis()).compose(mine -> {
      if (!mine) {
        return Future.succeededFuture(false);
      }
      return catalog.existing(List.of(id)).compose(recorded -> recorded.contains(id)
          ? intents.close(id, sweeper).map(false)
          : store.deleteImage(id).compose(v -> intents.close(id, sweeper)).map(true));
    });
  }
}
