package org.imgedge.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.imgedge.catalog.CatalogChanges;
import org.imgedge.support.Buffers;
import org.imgedge.support.Hashing;

/**
 * Rendered pages of {@code GET /v1/images}, so a phone that reopens its grid costs a map lookup
 * instead of a query and fifty Image objects of JSON.
 *
 * <p>Why a cache, and why this one. A page is a pure function of the rows of one owner (all rows for
 * an admin), and those rows change only through a handful of writes: an upload, a delete, and the job
 * queue's analysis status changes (claim, complete, fail, giving up on an expired lease). Each of those
 * tells {@link #ownerChanged} after it committed, so the cache is exact, not "fresh for N seconds".
 *
 * <p>Invalidation is by generation rather than by removal: every page is stored under its owner's
 * generation as it was when the request began, and a change moves the owner (and the admin's
 * all-owners view) to a new generation. Old pages are then unreachable and age out of the LRU. This
 * makes invalidating an owner O(1), and it closes the race a remove-based cache has: a query that read
 * the rows before a write committed but finishes after it stores its stale page under the old
 * generation, where nobody looks.
 *
 * <p>Several nodes: each change is also published on Redis ({@link InvalidationVerticle}) so the other
 * nodes move that owner on too. A node that is not subscribed, because its subscription broke or has
 * not started yet, could miss changes, so it neither serves nor stores pages until it is subscribed
 * again, and then starts from an empty cache. Several nodes without Redis cannot know of each other's
 * writes: pages also expire a minute after they were made, which bounds that staleness.
 */
public final class ListPageCache implements CatalogChanges {

  /** Rendered JSON is small (about 1 KB an image), and a grid's first page is what is asked for again. */
  private static final long MAX_BYTES = 32L * 1024 * 1024;
  private static final Duration BACKSTOP = Duration.ofMinutes(1);
  /** Owners whose generation is remembered; past this, all are forgotten at once (see {@link #bump}). */
  private static final int MAX_OWNERS = 100_000;

  /** A page request, under the generation of the rows it shows. */
  private record Key(String owner, long generation, String cursor, int limit) {}

  /** The response body, and its strong ETag (a hash of the body, so equal on every node). */
  public record Page(Buffer body, String etag) {}

  private final Cache<Key, Page> pages = Caffeine.newBuilder()
      .maximumWeight(MAX_BYTES)
      .weigher((Key k, Page p) -> p.body().length() + 200)
      .expireAfterWrite(BACKSTOP)
      .build();
  private final AtomicLong clock = new AtomicLong();
  private final Map<String, Long> generations = new ConcurrentHashMap<>();
  /** The generation of owners with no entry in {@link #generations}. */
  private volatile long floor;
  private final RedisTier redis;
  private volatile boolean serving;

  /** @param redis tells the other nodes of changes; null on a single node */
  public ListPageCache(RedisTier redis) {
    this.redis = redis;
    this.serving = redis == null; // with Redis: once subscribed
  }

  /**
   * The page held for this request, or the one {@code render} makes from the catalog, which is then held.
   * The generation is read before {@code render} starts (see the class comment).
   *
   * @param owner  the owner whose images are listed, or null for every owner's (an admin)
   * @param render the page's JSON body, read from the catalog
   */
  public Future<Page> page(String owner, String cursor, int limit, Supplier<Future<Buffer>> render) {
    long generation = owner == null ? clock.get() : generations.getOrDefault(owner, floor);
    Key key = new Key(owner == null ? "" : owner, generation, cursor == null ? "" : cursor, limit);
    Page held = serving ? pages.getIfPresent(key) : null;
    if (held != null) {
      return Future.succeededFuture(held);
    }
    return render.get().map(body -> {
      Page page = new Page(Buffers.offHeap(body), "\"" + Hashing.sha256(body.getBytes()).substring(0, 32) + "\"");
      if (serving) {
        pages.put(key, page);
      }
      return page;
    });
  }

  /** A write on this node committed: move on here, and tell the other nodes. */
  @Override
  public void ownerChanged(String owner) {
    bump(owner);
    if (redis != null) {
      redis.publishListChange(owner);
    }
  }

  /** Another node changed this owner's images. */
  void ownerChangedElsewhere(String owner) {
    bump(owner);
  }

  /** The node may miss changes from now on: stop using the cache, and forget what it holds. */
  void suspend() {
    serving = false;
    pages.invalidateAll();
  }

  /** Subscribed again: changes made while unsubscribed are unknown, so start from nothing. */
  void resume() {
    pages.invalidateAll();
    serving = true;
  }

  private void bump(String owner) {
    long next = clock.incrementAndGet(); // the admin's view moves with every change
    if (generations.size() >= MAX_OWNERS) {
      // Forgetting an owner must not bring back its old generation: every owner without an entry
      // moves past every generation handed out so far, which orphans all stored pages at once.
      floor = next;
      generations.clear();
    }
    generations.merge(owner, next, Math::max); // concurrent bumps of one owner never step back
  }
}
