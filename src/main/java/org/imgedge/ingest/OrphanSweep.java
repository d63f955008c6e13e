package org.imgedge.ingest;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import org.imgedge.catalog.CatalogRepository;
import org.imgedge.storage.BlobKey;
import org.imgedge.storage.BlobStore;
import org.imgedge.support.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net behind {@link IntentSweep}: walks the whole store for blobs that belong to no image.
 * The cutoff is far past an intent's lease, so what a crash leaves has been swept from its intent long
 * before: only blobs written before intents existed, or by a bug, are left for this walk. Only images
 * made before the cutoff are touched: a younger one may be an upload that another node (or this one)
 * is about to record. Ids are UUIDv7, so an id tells its own age.
 */
public final class OrphanSweep {

  private static final Logger log = LoggerFactory.getLogger(OrphanSweep.class);
  /** Ids asked of the catalog at once: well under SQLite's limit on parameters. */
  private static final int BATCH = 500;

  private final BlobStore store;
  private final CatalogRepository catalog;

  public OrphanSweep(BlobStore store, CatalogRepository catalog) {
    this.store = store;
    this.catalog = catalog;
  }

  /**
   * Walks the store one shard at a time, so memory holds one shard's ids, never the whole store.
   *
   * @return how many images' blobs were removed
   */
  public Future<Integer> run(Instant cutoff) {
    long start = System.nanoTime();
    Future<Integer> removed = Future.succeededFuture(0);
    for (String shard : BlobKey.shards()) {
      removed = removed.compose(sum -> sweepShard(shard, cutoff).map(n -> sum + n));
    }
    return removed.onSuccess(n -> log.info("orphan sweep: removed the blobs of {} unrecorded image(s) made before {} in {} ms",
        n, cutoff, (System.nanoTime() - start) / 1_000_000));
  }

  private Future<Integer> sweepShard(String shard, Instant cutoff) {
    return store.imageIds(shard).compose(ids -> {
      List<String> old = ids.stream().filter(id -> Ids.isWellFormed(id) && Ids.createdAt(id).isBefore(cutoff)).toList();
      Future<Integer> removed = Future.succeededFuture(0);
      for (int from = 0; from < old.size(); from += BATCH) {
        List<String> batch = old.subList(from, Math.min(old.size(), from + BATCH));
        removed = removed.compose(sum -> removeUnrecorded(batch).map(n -> sum + n));
      }
      return removed;
    });
  }

  private Future<Integer> removeUnrecorded(List<String> ids) {
    return catalog.existing(ids).compose(recorded -> {
      List<String> orphans = ids.stream().filter(id -> !recorded.contains(id)).toList();
      Future<Void> deleted = Future.succeededFuture();
      for (String id : orphans) {
        deleted = deleted.compose(v -> store.deleteImage(id));
      }
      return deleted.map(v -> orphans.size());
    });
  }
}
