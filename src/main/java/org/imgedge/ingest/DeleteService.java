package org.imgedge.ingest;

import io.vertx.core.Future;
import org.imgedge.cache.VariantCache;
import org.imgedge.catalog.BlobIntents;
import org.imgedge.catalog.CatalogRepository;
import org.imgedge.catalog.Image;
import org.imgedge.catalog.IntentHolder;
import org.imgedge.cdn.CdnPurger;
import org.imgedge.cdn.PurgePlan;
import org.imgedge.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes an image from everywhere ingest put it: the row first, with a blob intent and the CDN purges it
 * owes in the same transaction, so nothing lists or serves it once the delete is acknowledged and no CDN
 * keeps it; then its blobs, closing the intent; then every cache tier on every node (see
 * {@link VariantCache#invalidate}), and only then the CDN. A crash between the steps leaves the intent,
 * whose blobs the sweep removes, and the outbox's rows, with which any node tells the caches and the CDN.
 */
public final class DeleteService {

  private static final Logger log = LoggerFactory.getLogger(DeleteService.class);

  private final CatalogRepository catalog;
  private final BlobStore store;
  private final VariantCache cache;
  private final PurgePlan purges;
  private final CdnPurger purger;
  private final BlobIntents intents;
  private final IntentHolder holder;

  public DeleteService(CatalogRepository catalog, BlobStore store, VariantCache cache, PurgePlan purges, CdnPurger purger,
      BlobIntents intents, IntentHolder holder) {
    this.intents = intents;
    this.holder = holder;
    this.catalog = catalog;
    this.store = store;
    this.cache = cache;
    this.purges = purges;
    this.purger = purger;
  }

  public Future<Void> delete(Image image) {
    return catalog.delete(image.id(), purges.requestsFor(image), holder)
        .compose(deleted -> deleted ? store.deleteImage(image.id()).compose(v -> intents.close(image.id(), holder))
            : Future.succeededFuture())
        .compose(v -> cache.invalidate(image.id()).recover(e -> {
          // recorded in the outbox with the delete: the purger tells the caches again, with retries
          log.warn("delete of {}: the caches could not be told yet ({}); retrying in the background", image.id(), e.toString());
          return Future.succeededFuture();
        }))
        // the CDN calls only now, after the caches, so that the CDN's next request finds no copy to keep
        .onComplete(r -> purger.wake());
  }

}
