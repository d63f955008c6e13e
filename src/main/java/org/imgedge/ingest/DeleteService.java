package org.imgedge.ingest;

import io.vertx.core.Future;
import org.imgedge.cache.VariantCache;
import org.imgedge.catalog.CatalogRepository;
import org.imgedge.catalog.Image;
import org.imgedge.storage.BlobStore;

/**
 * Removes an image from everywhere ingest put it: the row first, so nothing lists or serves it once the
 * delete is acknowledged, then its blobs, then every cache tier on every node (see {@link VariantCache#invalidate}).
 * A crash between the steps leaves blobs without a row, which the orphan sweep removes.
 */
public final class DeleteService {

  private final CatalogRepository catalog;
  private final BlobStore store;
  private final VariantCache cache;

  public DeleteService(CatalogRepository catalog, BlobStore store, VariantCache cache) {
    this.catalog = catalog;
    this.store = store;
    this.cache = cache;
  }

  public Future<Void> delete(Image image) {
    return catalog.delete(image.id())
        .compose(v -> store.deleteImage(image.id()))
        .compose(v -> cache.invalidate(image.id()));
  }
}
