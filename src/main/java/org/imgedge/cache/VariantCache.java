package org.imgedge.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.imgedge.catalog.CatalogRepository;
import org.imgedge.catalog.Image;
import org.imgedge.catalog.Variant;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.ops.Metrics;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;
import org.imgedge.storage.BlobKey;
import org.imgedge.storage.BlobStore;

/**
 * Variant bytes, from memory when possible, then from Redis (shared by all nodes, when configured),
 * then from the catalog row and the blob. Caffeine holds them weighted by size under a byte cap, and
 * merges concurrent loads of one key into one future, so a miss reads the lower tiers once however
 * many requests wait. Every miss fills the tiers above it.
 */
public final class VariantCache {

  /** One file: a preset's variant of an image in one format. */
  record Key(String imageId, String preset, VariantFormat format) {

    Key(String imageId, String preset) {
      this(imageId, preset, VariantFormat.JPEG);
    }
  }

  /** Variants from this size up are sent from files (see {@link VariantBody}); smaller ones from memory. */
  static final long FILE_MIN_BYTES = 64 * 1024;
  /** Far longer than an event loop runs between taking a variant from memory and starting to send it. */
  static final Duration RELEASE_GRACE = Duration.ofSeconds(10);

  private static final Executor RELEASE_LATER =
      CompletableFuture.delayedExecutor(RELEASE_GRACE.toMillis(), TimeUnit.MILLISECONDS);

  private final CatalogRepository catalog;
  private final BlobStore store;
  private final Metrics metrics;
  private final RedisTier redis;
  /**
   * Every preset name this node has known in this run (configured, shared, or cached): dropping an
   * image drops these keys, including those of a preset removed since its variants were cached.
   */
  private final Set<String> presets = ConcurrentHashMap.newKeySet();
  private final VariantBody.Maker bodies;
  private final AsyncCache<Key, CachedVariant> memory;
  private final MemoryFence fence;
  /**
   * Images deleted lately, on any node: a load that began before the delete and ends after it must not
   * put the deleted bytes into memory. Longer than any load takes (each of its steps has a deadline).
   */
  private final Cache<String, Boolean> recentlyDeleted =
      Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(10)).maximumSize(100_000).build();

  /** Whether a preset name is one of the deployment's presets now. */
  private final Predicate<String> isPreset;
  /** Whether the deployment's preset of that name is made in that format now: a file it lacks is then pending. */
  private final BiPredicate<String, VariantFormat> isWanted;

  /**
   * @param redis    the shared tier, or null for memory and storage only
   * @param isPreset whether a name is one of the deployment's presets now: see {@link #get}
   */
  public VariantCache(CatalogRepository catalog, BlobStore store, RedisTier redis, List<String> presets, Predicate<String> isPreset,
      Metrics metrics, long maxBytes) {
    this(catalog, store, redis, presets, isPreset, (p, f) -> f == VariantFormat.JPEG, metrics, maxBytes);
  }

  /** @param isWanted whether the named preset is made in the format now */
  public VariantCache(CatalogRepository catalog, BlobStore store, RedisTier redis, List<String> presets, Predicate<String> isPreset,
      BiPredicate<String, VariantFormat> isWanted, Metrics metrics, long maxBytes) {
    this.isPreset = isPreset;
    this.isWanted = isWanted;
    this.bodies = new VariantBody.Maker(VariantBody.Maker.defaultDir(), FILE_MIN_BYTES);
    this.catalog = catalog;
    this.store = store;
    this.redis = redis;
    this.presets.addAll(presets);
    this.metrics = metrics;
    this.fence = redis == null ? MemoryFence.ALWAYS_OPEN : redis.fence();
    this.memory = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        // a body in a file is memory too (of the memory file system, or the page cache)
        .weigher((Key k, CachedVariant v) -> (int) v.body().length() + 200) // + the entry's own overhead
        // Dropped, replaced or deleted. A request may have taken it from memory a moment ago and be about
        // to send it, so it is released a little later; its file then closes when the last response
        // still sending it is done.
        .removalListener((Key k, CachedVariant v, RemovalCause cause) -> {
          if (v != null) {
            RELEASE_LATER.execute(v.body()::release);
          }
        })
        .buildAsync();
    metrics.gauge("imgedge_cache_memory_bytes", "Bytes of variants held in memory",
        () -> memory.synchronous().policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L));
  }

  /** Names presets the deployment has now, so that drops and deletes reach their cached variants. */
  public void knowPresets(Collection<String> names) {
    presets.addAll(names);
  }

  /**
   * @return the variant; fails with NOT_FOUND for an unknown image or preset, and with VARIANT_PENDING
   *     for an image that has not got the variant of a preset added since it was uploaded. While this
   *     node cannot be sure it heard every delete ({@link MemoryFence}), the catalog confirms the image first.
   */
  public Future<CachedVariant> get(String imageId, String preset) {
    return get(imageId, preset, VariantFormat.JPEG);
  }

  /** {@link #get(String, String)} of the variant's file in {@code format}. */
  public Future<CachedVariant> get(String imageId, String preset, VariantFormat format) {
    if (!isPreset.test(preset)) {
      // A preset removed from the deployment: served only while the image's record still has it, and never
      // from or into a cache tier, whose copies of it a node that never knew the preset could not drop.
      return loadFromStorage(new Key(imageId, preset, format))
          .map(loaded -> new CachedVariant(imageId, loaded.variant(), loaded.lastModified(), VariantBody.uncached(loaded.bytes())));
    }
    Future<CachedVariant> found = fence.open() ? fromMemory(imageId, preset, format)
        : variantRow(imageId, preset, format).compose(row -> fromMemory(imageId, preset, format));
    return found.recover(e -> whyMissing(e, imageId, preset, format));
  }

  /**
   * A variant the catalog lacks is pending when its preset is one of the deployment's and the image
   * exists: every node answers this from the shared catalog, so all answer alike.
   */
  private <T> Future<T> whyMissing(Throwable e, String imageId, String preset, VariantFormat format) {
    if (!(e instanceof AppException a && a.type() == ProblemType.NOT_FOUND) || !isPreset.test(preset)
        || !isWanted.test(preset, format)) {
      return Future.failedFuture(e);
    }
    return catalog.find(imageId).compose(image -> Future.failedFuture(image.isPresent()
        && image.get().variant(preset).flatMap(v -> v.as(format)).isEmpty()
        ? AppException.of(ProblemType.VARIANT_PENDING, "This variant is being made from the original; the image's JSON lists"
            + " the variants it has now.")
        : e));
  }

  private Future<CachedVariant> fromMemory(String imageId, String preset, VariantFormat format) {
    Context context = Vertx.currentContext();
    Key key = new Key(imageId, preset, format);
    boolean[] loaded = {false};
    CompletableFuture<CachedVariant> cf = memory.get(key, (k, executor) -> {
      loaded[0] = true;
      // An unknown variant loads as null, which Caffeine does not keep (nor log, as it would a failure).
      return load(k).map(v -> recentlyDeleted.getIfPresent(k.imageId()) == null ? v : null).otherwise(e -> {
        if (e instanceof AppException a && a.type() == ProblemType.NOT_FOUND) {
          return null;
        }
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }).toCompletionStage().toCompletableFuture();
    });
    if (loaded[0]) {
      metrics.cacheMiss("memory");
    } else {
      metrics.cacheHit("memory");
    }
    // Come back on the caller's event loop, whichever thread completed the load.
    return Future.fromCompletionStage(cf, context).map(v -> {
      if (v == null) {
        throw notFound();
      }
      return v;
    });
  }

  /**
   * The variant when memory already holds it, else null: the hot path answers from this without a
   * future, a callback or a hop back to the event loop.
   */
  public CachedVariant getIfCached(String imageId, String preset, VariantFormat format) {
    if (!fence.open() || !isPreset.test(preset)) {
      return null;
    }
    CompletableFuture<CachedVariant> cached = memory.getIfPresent(new Key(imageId, preset, format));
    CachedVariant v = cached == null || cached.isCompletedExceptionally() ? null : cached.getNow(null);
    if (v != null) {
      metrics.cacheHit("memory");
    }
    return v;
  }

  /**
   * What a revalidation needs: the variant's ETag without its bytes. From memory when cached,
   * otherwise from the catalog row alone, so a 304 never reads the blob.
   */
  public Future<CachedVariant.Headers> head(String imageId, String preset, VariantFormat format) {
    CompletableFuture<CachedVariant> cached = fence.open() && isPreset.test(preset)
        ? memory.getIfPresent(new Key(imageId, preset, format))
        : null;
    if (cached != null && cached.isDone() && !cached.isCompletedExceptionally()) {
      CachedVariant v = cached.join();
      return Future.succeededFuture(v.headers());
    }
    return variantRow(imageId, preset, format).map(r -> CachedVariant.Headers.of(imageId, r.variant, r.image.createdAt()))
        .recover(e -> whyMissing(e, imageId, preset, format));
  }

  /** Fills the tiers at upload, so the first phone to ask, on any node, is served from a cache. */
  public void put(Image image, String preset, Buffer bytes) {
    put(image, preset, VariantFormat.JPEG, bytes);
  }

  /** {@link #put(Image, String, Buffer)} of the variant's file in {@code format}. */
  public void put(Image image, String preset, VariantFormat format, Buffer bytes) {
    image.variant(preset).flatMap(v -> v.as(format)).ifPresent(v -> {
      Key key = new Key(image.id(), preset, format);
      VariantBytes loaded = new VariantBytes(v, image.createdAt(), bytes);
      memory.put(key, CompletableFuture.completedFuture(cached(key, loaded)));
      if (redis != null) {
        redis.put(key, loaded);
      }
    });
  }

  /**
   * Drops a deleted image from every tier of every node; completes when every node subscribed to the
   * shared tier acknowledged, or could no longer trust its memory (see {@link MemoryFence}), or Redis is down.
   */
  public Future<Void> invalidate(String imageId) {
    invalidateInMemory(imageId);
    return redis == null ? Future.succeededFuture() : redis.invalidate(imageId, keys(imageId), true);
  }

  /**
   * Drops the copies of an image whose variants were made again (they may hold the bytes that were
   * corrupt in storage) from every tier of every node; unlike a delete, the image may be cached again at once.
   */
  public Future<Void> drop(String imageId) {
    dropFromMemory(imageId);
    return redis == null ? Future.succeededFuture() : redis.invalidate(imageId, keys(imageId), false);
  }


  /**
   * What the purge outbox's {@code caches} entry does: an image the catalog no longer has is dropped as
   * deleted ({@link #invalidate}); one that still exists had variants made again, and is only dropped
   * ({@link #drop}), so that it can be cached again at once.
   */
  public Future<Void> purge(String imageId) {
    return catalog.existing(List.of(imageId)).compose(found -> found.isEmpty() ? invalidate(imageId) : drop(imageId));
  }

  /** Drops the image from this node's memory only, and keeps loads under way from putting it back. */
  void invalidateInMemory(String imageId) {
    recentlyDeleted.put(imageId, Boolean.TRUE);
    dropFromMemory(imageId);
  }

  /** Drops the image's variants from this node's memory only: they were made again (see {@link #drop}). */
  void dropFromMemory(String imageId) {
    memory.synchronous().invalidateAll(keys(imageId));
  }

  /** Every file of the image any tier may hold: each preset this node has known, in each format. */
  private List<Key> keys(String imageId) {
    List<Key> keys = new ArrayList<>();
    for (String p : presets) {
      for (VariantFormat f : VariantFormat.values()) {
        keys.add(new Key(imageId, p, f));
      }
    }
    return keys;
  }

  /** This node may have missed deletes (its subscription broke): forget everything in memory. */
  void invalidateAllInMemory() {
    memory.synchronous().invalidateAll();
  }

  private Future<CachedVariant> load(Key key) {
    if (redis == null) {
      return loadFromStorage(key).map(loaded -> cached(key, loaded));
    }
    return redis.get(key).compose(shared -> {
      if (shared.isPresent()) {
        metrics.cacheHit("redis");
        return Future.succeededFuture(cached(key, shared.get()));
      }
      metrics.cacheMiss("redis");
      return loadFromStorage(key).map(loaded -> {
        redis.put(key, loaded);
        return cached(key, loaded);
      });
    });
  }

  private Future<VariantBytes> loadFromStorage(Key key) {
    return variantRow(key.imageId(), key.preset(), key.format())
        .compose(row -> store.read(BlobKey.variant(key.imageId(), key.preset(), key.format()))
        .recover(e -> {
          boolean missing = BlobStore.isMissing(e);
          if (missing) {
            metrics.cacheMiss("storage"); // a row whose blob is gone: counted as what it is, not as a hit
          }
          return Future.failedFuture(missing ? notFound() : e);
        })
        .map(bytes -> {
          metrics.cacheHit("storage");
          return new VariantBytes(row.variant, row.image.createdAt(), bytes);
        }));
  }

  private CachedVariant cached(Key key, VariantBytes loaded) {
    presets.add(key.preset());
    return new CachedVariant(key.imageId(), loaded.variant(), loaded.lastModified(), bodies.make(loaded.bytes(), key.format()));
  }

  private record Row(Image image, Variant variant) {}

  private Future<Row> variantRow(String imageId, String preset, VariantFormat format) {
    return catalog.find(imageId).map(found -> found
        .flatMap(image -> image.variant(preset).flatMap(v -> v.as(format)).map(v -> new Row(image, v)))
        .orElseThrow(VariantCache::notFound));
  }

  private static AppException notFound() {
    return AppException.of(ProblemType.NOT_FOUND, "No such image or variant.");
  }
}
