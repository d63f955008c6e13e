package org.imgedge.ingest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.imgedge.cache.VariantCache;
import org.imgedge.catalog.CatalogRepository;
import org.imgedge.catalog.Image;
import org.imgedge.catalog.Variant;
import org.imgedge.cdn.CdnPurger;
import org.imgedge.cdn.PurgePlan;
import org.imgedge.imaging.ImagingJob;
import org.imgedge.storage.BlobKey;
import org.imgedge.storage.BlobStore;
import org.imgedge.support.Ids;

/**
 * Makes variants of a recorded image again from its original, as an upload made them: for a variant
 * that is missing or corrupt in storage. The original is staged from storage, rendered on an imaging
 * worker, and the asked-for variants are committed over the old keys. The pipeline is deterministic, so
 * the bytes normally match the record; when they do not (another codec on this node), the record gets
 * the new ones and the CDN is told to drop the old URLs.
 */
public final class VariantRemaker {

  private final Vertx vertx;
  private final IngestService ingest;
  private final BlobStore store;
  private final CatalogRepository catalog;
  private final VariantCache cache;
  private final PurgePlan purges;
  private final CdnPurger purger;

  public VariantRemaker(Vertx vertx, IngestService ingest, BlobStore store, CatalogRepository catalog, VariantCache cache,
      PurgePlan purges, CdnPurger purger) {
    this.vertx = vertx;
    this.ingest = ingest;
    this.store = store;
    this.catalog = catalog;
    this.cache = cache;
    this.purges = purges;
    this.purger = purger;
  }

  /** Remakes these presets of the image; fails when its original cannot be read or rendered. */
  public Future<Void> remake(Image image, Set<String> presets) {
    Path dir = store.stagingDir().resolve("remake-" + Ids.next());
    Path original = dir.resolve("original");
    return vertx.fileSystem().mkdirs(dir.toString())
        .compose(v -> store.open(BlobKey.original(image.id())))
        .compose(in -> vertx.fileSystem().open(original.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
            .compose(in::pipeTo))
        .compose(v -> ingest.rerender(image.id(), original, result -> commit(image, presets, result)))
        .eventually(() -> vertx.fileSystem().deleteRecursive(dir.toString()).otherwiseEmpty());
  }

  private Future<Void> commit(Image image, Set<String> presets, ImagingJob.Result result) {
    Map<BlobKey, Path> staged = new LinkedHashMap<>();
    Map<String, Variant> variants = new LinkedHashMap<>(image.variants());
    boolean changed = false;
    for (ImagingJob.WrittenVariant w : result.variants()) {
      if (presets.contains(w.preset())) {
        staged.put(BlobKey.variant(image.id(), w.preset()), w.file());
        Variant made = new Variant(w.preset(), w.width(), w.height(), w.bytes(), w.sha256());
        changed |= !made.equals(variants.put(w.preset(), made));
      }
    }
    Future<Void> recorded = store.commit(staged);
    if (changed) {
      recorded = recorded.compose(v -> catalog.updateVariants(image.id(), variants, purges.requestsFor(image)))
          .onSuccess(exists -> purger.wake())
          .mapEmpty();
    }
    // a copy read from storage while it was corrupt may sit in a cache tier
    return recorded.compose(v -> cache.drop(image.id()));
  }
}
