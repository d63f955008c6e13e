package org.imgedge.scrub;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.imgedge.catalog.CatalogRepository;
import org.imgedge.catalog.Image;
import org.imgedge.catalog.Variant;
import org.imgedge.ingest.VariantRemaker;
import org.imgedge.ops.Metrics;
import org.imgedge.storage.BlobKey;
import org.imgedge.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every blob and compares its SHA-256 with the catalog's record, one image at a time and no faster
 * than {@code scrub.maxBytesPerSecond}. A missing or corrupt variant is made again from the original; a
 * missing or corrupt original is only reported: nothing can make it again, and an operator restores it
 * from a backup. One scrub at a time per node.
 */
public final class Scrub {

  private static final Logger log = LoggerFactory.getLogger(Scrub.class);
  private static final int PAGE = 100;

  private final Vertx vertx;
  private final CatalogRepository catalog;
  private final BlobStore store;
  private final VariantRemaker remaker;
  private final ScrubConfig config;
  private volatile ScrubReport report = new ScrubReport();
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong broken = new AtomicLong();
  private final AtomicLong remade = new AtomicLong();

  public Scrub(Vertx vertx, CatalogRepository catalog, BlobStore store, VariantRemaker remaker, ScrubConfig config,
      Metrics metrics) {
    this.vertx = vertx;
    this.catalog = catalog;
    this.store = store;
    this.remaker = remaker;
    this.config = config;
    metrics.counter("imgedge_scrub_bytes_read", "Bytes of blobs integrity scrubs have read", bytesRead::get);
    metrics.counter("imgedge_scrub_blobs_broken", "Blobs integrity scrubs found missing or corrupt", broken::get);
    metrics.counter("imgedge_scrub_variants_remade", "Variants integrity scrubs made again from their originals", remade::get);
  }

  /** Starts a scrub unless one is running here; @return the report of the running one */
  public synchronized JsonObject start() {
    if (!report.running()) {
      ScrubReport started = ScrubReport.started(Instant.now());
      report = started;
      long start = System.nanoTime();
      vertx.runOnContext(v -> page(started, null, start).onComplete(r -> {
        started.finish(Instant.now(), r.cause());
        log.info("scrub {}: {}", r.succeeded() ? "done" : "failed", started.toJson().encode());
      }));
    }
    return report.toJson();
  }

  /** The running scrub's report, or the last one's. */
  public JsonObject report() {
    return report.toJson();
  }

  private Future<Void> page(ScrubReport r, String cursor, long start) {
    return catalog.list(null, cursor, PAGE).compose(page -> {
      Future<Void> done = Future.succeededFuture();
      for (Image image : page.items()) {
        done = done.compose(v -> image(r, image, start));
      }
      return page.nextCursor() == null ? done : done.compose(v -> page(r, page.nextCursor(), start));
    });
  }

  private Future<Void> image(ScrubReport r, Image image, long start) {
    r.image();
    String id = image.id();
    return sha256(r, BlobKey.original(id), start).compose(original -> {
      boolean originalSound = original.isPresent() && original.get().equals(image.original().sha256());
      if (original.isEmpty()) {
        r.originalMissing(id);
        broken.incrementAndGet();
      } else if (!originalSound) {
        r.originalCorrupt(id);
        broken.incrementAndGet();
      }
      Set<String> toRemake = new LinkedHashSet<>();
      Future<Void> checked = Future.succeededFuture();
      // every format's file: a bad WebP or AVIF has its preset made again, JPEG included (the same bytes come out)
      List<Variant> files = image.variants().values().stream().flatMap(v -> v.files().stream()).toList();
      for (Variant v : files) {
        String name = id + "/" + v.preset() + v.format().nameSuffix();
        checked = checked.compose(x -> sha256(r, BlobKey.variant(id, v.preset(), v.format()), start).map(found -> {
          if (found.isEmpty()) {
            r.variantMissing(name);
            toRemake.add(v.preset());
          } else if (!found.get().equals(v.sha256())) {
            r.variantCorrupt(name);
            toRemake.add(v.preset());
          }
          return null;
        }));
      }
      return checked.compose(x -> {
        broken.addAndGet(toRemake.size());
        return toRemake.isEmpty() ? Future.succeededFuture() : remake(r, image, toRemake, originalSound);
      });
    });
  }

  private Future<Void> remake(ScrubReport r, Image image, Set<String> presets, boolean originalSound) {
    if (!originalSound) {
      presets.forEach(p -> r.remakeFailed(image.id() + "/" + p, "the original is missing or corrupt"));
      return Future.succeededFuture();
    }
    return remaker.remake(image, presets)
        .onSuccess(v -> {
          presets.forEach(p -> r.remade(image.id() + "/" + p));
          remade.addAndGet(presets.size());
        })
        .otherwise(e -> {
          presets.forEach(p -> r.remakeFailed(image.id() + "/" + p, e.toString()));
          return null;
        });
  }

  /** The blob's SHA-256, read as a stream at the configured rate; empty when it is missing. */
  private Future<Optional<String>> sha256(ScrubReport r, BlobKey key, long start) {
    return store.open(key).compose(stream -> digest(r, stream, start)).map(Optional::of)
        .recover(e -> BlobStore.isMissing(e) ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
  }

  private Future<String> digest(ScrubReport r, ReadStream<Buffer> stream, long start) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      return Future.failedFuture(e);
    }
    Promise<String> done = Promise.promise();
    long[] size = {0};
    stream.exceptionHandler(done::tryFail);
    stream.endHandler(v -> {
      r.blob(size[0]);
      done.tryComplete(HexFormat.of().formatHex(sha.digest()));
    });
    stream.handler(chunk -> {
      sha.update(chunk.getBytes());
      size[0] += chunk.length();
      bytesRead.addAndGet(chunk.length());
      // Ahead of the rate: wait until the bytes read so far are due.
      long dueNanos = start + (long) ((r.bytes() + size[0]) * 1e9 / config.maxBytesPerSecond());
      long aheadMillis = TimeUnit.NANOSECONDS.toMillis(dueNanos - System.nanoTime());
      if (aheadMillis > 10) {
        stream.pause();
        vertx.setTimer(aheadMillis, t -> stream.resume());
      }
    });
    return done.future();
  }
}
