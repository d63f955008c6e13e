package org.imgedge.ingest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.imgedge.cache.VariantCache;
import org.imgedge.catalog.CatalogRepository;
import org.imgedge.catalog.Image;
import org.imgedge.catalog.Variant;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.cdn.CdnPurger;
import org.imgedge.cdn.PurgePlan;
import org.imgedge.imaging.ImagingJob;
import org.imgedge.imaging.Preset;
import org.imgedge.imaging.PresetSet;
import org.imgedge.storage.BlobKey;
import org.imgedge.storage.BlobStore;
import org.imgedge.support.Ids;

/**
 * Makes variants of a recorded image again from its original, as an upload makes them: for a variant
 * that is missing or corrupt in storage (the scrub), or for presets added, changed or removed since the
 * upload (the regeneration). The original is staged from storage, rendered on an imaging worker under
 * the uploads' admission, and the new variants are committed over their keys; then the record is
 * updated, the old URLs purged from the CDN, and the image dropped from every cache tier. An image
 * recorded before placeholders existed gets its ThumbHash the same way (see {@link #bringUpToDate}).
 */
public final class VariantRemaker {

  private final Vertx vertx;
  private final IngestService ingest;
  private final BlobStore store;
  private final CatalogRepository catalog;
  private final VariantCache cache;
  private final PurgePlan purges;
  private final CdnPurger purger;
  private final Supplier<PresetSet> presets;

  public VariantRemaker(Vertx vertx, IngestService ingest, BlobStore store, CatalogRepository catalog, VariantCache cache,
      PurgePlan purges, CdnPurger purger, Supplier<PresetSet> presets) {
    this.vertx = vertx;
    this.ingest = ingest;
    this.store = store;
    this.catalog = catalog;
    this.cache = cache;
    this.purges = purges;
    this.purger = purger;
    this.presets = presets;
  }

  /**
   * Makes these variants again at the current presets; a name that is no longer a preset is left to the
   * regeneration, which removes it. Fails when the original cannot be read or rendered.
   */
  public Future<Void> remake(Image image, Set<String> names) {
    PresetSet set = presets.get();
    List<Preset> make = set.presets().stream().filter(p -> names.contains(p.name())).toList();
    return update(image, set, make);
  }

  /**
   * Gives the image exactly the variants of {@code set}: makes those it lacks or has at another spec,
   * and removes those of presets that are gone. Variants recorded before variants kept their spec are
   * taken to be at the current one. An image without a placeholder gets one: when no variant needs making,
   * from a render of the placeholder's preset alone, which is the cheapest (the decoder scales down to it)
   * and commits nothing.
   */
  public Future<Void> bringUpToDate(Image image, PresetSet set) {
    List<Preset> make = set.presets().stream().filter(p -> image.variant(p.name())
        .map(v -> !specOf(v, p).equals(p.spec())).orElse(true)).toList();
    return update(image, set, make);
  }

  /**
   * The spec a variant was made at: as recorded, or, for a record from before variants kept their spec,
   * the preset's with the formats the record has (a JPEG-only record is never taken to have a WebP).
   */
  private static String specOf(Variant v, Preset p) {
    return v.spec() != null ? v.spec() : p.specOf(v.others().keySet());
  }

  private Future<Void> update(Image image, PresetSet set, List<Preset> make) {
    List<Variant> gone = image.variants().values().stream().filter(v -> !set.contains(v.preset())).toList();
    return made(image, set, make, image.thumbHash() == null)
        // The removed presets' blobs before the record: a crash in between leaves the record naming them, and the
        // image behind the presets, so the next run removes them again. The other way round would leak them.
        .compose(fresh -> Future.all(goneFiles(image, gone, fresh.variants()).stream().map(store::delete).toList()).map(fresh))
        .compose(fresh -> record(image, set, fresh, !gone.isEmpty()))
        .compose(exists -> {
          if (!exists) {
            // deleted while its variants were made: what this committed after the delete's blobs went, goes too
            return store.deleteImage(image.id());
          }
          if (make.isEmpty() && gone.isEmpty()) {
            return Future.succeededFuture(); // only the record's specs changed: nothing cached is wrong
          }
          // a copy read from storage while it was corrupt, of an old spec, or of a removed preset may sit in a cache
          // tier, under names this node may not have known (a preset removed before it started)
          cache.knowPresets(image.variants().keySet());
          return cache.drop(image.id());
        });
  }

  /** The files of the removed presets, and of formats a remade variant no longer has. */
  private static List<BlobKey> goneFiles(Image image, List<Variant> gone, Map<String, Variant> fresh) {
    List<BlobKey> keys = new ArrayList<>();
    for (Variant v : gone) {
      v.files().forEach(f -> keys.add(BlobKey.variant(image.id(), v.preset(), f.format())));
    }
    fresh.forEach((preset, now) -> image.variant(preset).ifPresent(old -> old.others().keySet().stream()
        .filter(f -> !now.others().containsKey(f))
        .forEach(f -> keys.add(BlobKey.variant(image.id(), preset, f)))));
    return keys;
  }

  /**
   * Renders the whole set, as an upload would, and commits the presets of {@code make}: a variant's
   * bytes depend on the set rendered with it (the decode's scale follows the largest preset), so only
   * this makes a lost variant again byte for byte. @return their records
   */
  private Future<Remade> made(Image image, PresetSet set, List<Preset> make, boolean needsPlaceholder) {
    if (make.isEmpty() && !needsPlaceholder) {
      return Future.succeededFuture(new Remade(Map.of(), null));
    }
    // nothing to commit: only the placeholder's preset is rendered, for its pixels
    // (in JPEG alone: the files of other formats would be thrown away)
    List<Preset> render = make.isEmpty() ? List.of(set.placeholderSource().jpegOnly()) : set.presets();
    Path dir = store.stagingDir().resolve("remake-" + Ids.next());
    Path original = dir.resolve("original");
    return vertx.fileSystem().mkdirs(dir.toString())
        .compose(v -> store.open(BlobKey.original(image.id())))
        .compose(in -> vertx.fileSystem().open(original.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
            .compose(in::pipeTo))
        .compose(v -> ingest.rerender(image.id(), original, render, result -> commit(image, make, result)))
        .eventually(() -> vertx.fileSystem().deleteRecursive(dir.toString()).otherwiseEmpty());
  }

  /** The variants made again, by preset, and the placeholder of the render (null when none was rendered). */
  private record Remade(Map<String, Variant> variants, String thumbHash) {}

  private Future<Remade> commit(Image image, List<Preset> make, ImagingJob.Result result) {
    Map<BlobKey, Path> staged = new LinkedHashMap<>();
    Map<String, Variant> fresh = new LinkedHashMap<>();
    for (ImagingJob.WrittenVariant w : result.variants()) {
      Preset preset = make.stream().filter(p -> p.name().equals(w.preset())).findFirst().orElse(null);
      if (preset == null) {
        continue;
      }
      Set<VariantFormat> lacking = EnumSet.copyOf(preset.formats());
      lacking.remove(VariantFormat.JPEG);
      lacking.removeAll(w.others().keySet());
      if (!lacking.isEmpty()) {
        // recorded so, the image would stay behind and be made again at every check, and the files of those formats
        // that another node made would be deleted: a failure, tried again later (by a node that can, if this one cannot)
        return Future.failedFuture(new IOException("could not make the " + lacking + " files of " + w.preset() + " on this node"));
      }
      staged.putAll(IngestService.files(image.id(), w));
      fresh.put(w.preset(), IngestService.recorded(w));
    }
    return store.commit(staged).map(new Remade(fresh, result.thumbHash()));
  }

  /**
   * Records the image's variants in preset order: the fresh ones, and those it keeps; a kept variant
   * recorded before variants kept their spec gets the current one. The CDN is told to drop the old URLs
   * when bytes changed or a variant went.
   */
  /** @return whether the image still exists */
  private Future<Boolean> record(Image image, PresetSet set, Remade remade, boolean removed) {
    Map<String, Variant> fresh = remade.variants();
    // a placeholder is made once: an image that has one keeps it, like its untouched variants
    String thumbHash = image.thumbHash() == null ? remade.thumbHash() : null;
    Map<String, Variant> variants = new LinkedHashMap<>();
    boolean bytesChanged = false;
    for (Preset p : set.presets()) {
      Variant old = image.variants().get(p.name());
      Variant now = fresh.get(p.name());
      if (now != null) {
        bytesChanged |= old != null && (!old.sha256().equals(now.sha256()) || !now.others().entrySet().containsAll(old.others().entrySet()));
      } else if (old != null) {
        now = old.spec() != null ? old : new Variant(old.preset(), old.width(), old.height(), old.bytes(), old.sha256(),
            specOf(old, p), old.format(), old.others());
      }
      if (now != null) {
        variants.put(p.name(), now);
      }
    }
    boolean purge = removed || bytesChanged;
    return catalog.updateVariants(image.id(), variants, thumbHash, purge ? purges.requestsFor(image) : List.of())
        .onSuccess(exists -> {
          if (purge) {
            purger.wake();
          }
        });
  }
}
