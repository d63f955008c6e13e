package org.imgedge.presets;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.imgedge.catalog.CatalogRepository;
import org.imgedge.catalog.Image;
import org.imgedge.catalog.IntentHolder;
import org.imgedge.catalog.OutdatedPage;
import org.imgedge.catalog.Sql;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.imaging.PresetSet;
import org.imgedge.ingest.VariantRemaker;
import org.imgedge.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings every image to the deployment's presets: makes the variants of presets it lacks or that
 * changed since, from the original, and removes those of presets that are gone (their blobs, and their
 * URLs from every cache and the CDN). One node at a time runs it, under a lease; it goes by the
 * catalog's record of which preset set each image has, so a run cut off by a crash or a stop is taken
 * up where it stood by the next one, on any node.
 *
 * <p>Every node looks every {@code regeneration.checkSeconds}: it reads the shared presets again (a
 * node's start may have changed them), and when images are behind and the lease is free, it runs.
 * An image whose regeneration failed (its original unreadable) is tried again after {@link #RETRY_FAILED_MILLIS}.
 *
 * <p>A node that cannot encode every format the presets ask for does not run it: it would record images
 * without those formats (behind the presets, so made again at every check) and delete the files of
 * them that other nodes made. It leaves the lease to the nodes that can.
 */
public final class Regeneration extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(Regeneration.class);
  static final long RETRY_FAILED_MILLIS = 600_000;

  private final SharedPresets presets;
  private final CatalogRepository catalog;
  private final VariantRemaker remaker;
  private final RegenerationLease lease;
  private final RegenerationConfig config;
  private final Set<VariantFormat> encodable;
  private final AtomicLong made = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  /** Images behind the presets at this node's last check. */
  private volatile long behind;
  /** The check under way, with the run it may have started, or null: they never overlap, and a stop waits for it. */
  private Future<Void> checking;
  /** This node holds the lease and runs the regeneration. */
  private volatile boolean holding;
  /** This node can encode every format of the presets it last read, and may run the regeneration. */
  private volatile boolean canRun;
  private volatile boolean stopping;
  private long timer = -1;

  /** @param me this run of this node, as the lease names its holder */
  public Regeneration(SharedPresets presets, CatalogRepository catalog, VariantRemaker remaker, Sql sql, IntentHolder me,
      RegenerationConfig config, Set<VariantFormat> encodable, Metrics metrics) {
    this.presets = presets;
    this.catalog = catalog;
    this.remaker = remaker;
    this.lease = new RegenerationLease(sql, me);
    this.config = config;
    this.encodable = Set.copyOf(encodable);
    this.canRun = canRun(presets.current());
    metrics.clusterGauge("imgedge_regeneration_images_remaining", "Images whose variants are not yet those of the current presets",
        () -> behind);
    metrics.gauge("imgedge_regeneration_running", "1 while this node runs the regeneration", () -> holding ? 1 : 0);
    metrics.gauge("imgedge_regeneration_eligible", "1 when this node may run the regeneration: it is allowed to"
        + " (regeneration.concurrency above 0) and can encode every format of the presets", () -> canRun ? 1 : 0);
    metrics.counter("imgedge_regeneration_images_done", "Images this node brought to the current presets", made::get);
    metrics.counter("imgedge_regeneration_images_failed", "Images this node could not bring to the current presets", failed::get);
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(1, config.checkSeconds() * 1000L, id -> check());
    return Future.succeededFuture();
  }

  /**
   * A run under way stops after the images it is on, and then leaves the lease to the next node at once. The stop
   * waits for the check under way, and so for those images: each is counted in the lease row only while this node
   * holds the lease, so one released first would be made and never counted; and a lease taken or released after
   * the stop would be written through a database pool that is closed by then.
   */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    stopping = true;
    return checking == null ? Future.succeededFuture() : checking;
  }

  /** What the admin endpoint shows: the presets, and the regeneration as its row records it. */
  public Future<JsonObject> report() {
    PresetSet set = presets.current();
    JsonArray list = new JsonArray();
    set.presets().forEach(p -> list.add(new JsonObject().put("name", p.name()).put("box", p.box()).put("quality", p.quality())
        .put("progressive", p.progressive()).put("formats", new JsonArray(List.of(p.formatList().split(","))))));
    return lease.status().compose(status -> catalog.countOutdated(set.fingerprint()).map(behindNow -> new JsonObject()
        .put("presets", list).put("presetSet", set.fingerprint()).put("regeneratesHere", canRun(set))
        .put("regeneration", status.toJson(set.fingerprint(), behindNow, System.currentTimeMillis()))));
  }

  private void check() {
    if (checking != null || stopping) {
      return;
    }
    Future<Void> check = presets.refresh()
        .compose(set -> lease.status().compose(status -> catalog.countOutdated(set.fingerprint()).compose(behind -> {
          this.behind = behind;
          boolean could = canRun;
          canRun = canRun(set);
          if (could && !canRun && config.concurrency() > 0) {
            log.warn("the presets now ask for {}, which this node cannot encode: it leaves the regeneration to nodes that can",
                set.formats().stream().filter(f -> !encodable.contains(f)).map(VariantFormat::wire).toList());
          }
          return canRun ? maybeRun(set, status, behind) : Future.succeededFuture();
        })))
        .<Void>mapEmpty()
        .otherwise(e -> {
          log.warn("regeneration check failed, the next one retries: {}", e.toString());
          return null;
        });
    checking = check;
    check.onComplete(r -> checking = null); // after the assignment: a check may end at once
  }

  private boolean canRun(PresetSet set) {
    return config.concurrency() > 0 && encodable.containsAll(set.formats());
  }

  /** Runs when images are behind, the lease is free, and they are not only the last run's failures. */
  private Future<Void> maybeRun(PresetSet set, RegenerationStatus status, long behind) {
    long now = System.currentTimeMillis();
    String fingerprint = set.fingerprint();
    boolean sameSet = status.presetSet().equals(fingerprint) && status.finishedAt() != null;
    // only failures left since the last run: wait before trying them again
    boolean onlyFailures = sameSet && behind <= status.failed() && now - status.finishedAt() < RETRY_FAILED_MILLIS;
    if (behind == 0 || onlyFailures || lease.heldByOthers(status, now)) {
      return Future.succeededFuture();
    }
    return lease.take(now).compose(taken -> {
      if (!taken) {
        return Future.succeededFuture();
      }
      holding = true;
      Future<Void> running = stopping ? Future.succeededFuture()
          : lease.begin(fingerprint, behind, now).compose(held -> held ? run(set, behind) : Future.succeededFuture());
      // cut off by a stop: the lease goes to the next node at once rather than when it expires
      return running.eventually(() -> stopping ? lease.release().otherwiseEmpty() : Future.succeededFuture())
          .onComplete(r -> holding = false);
    });
  }

  private Future<Void> run(PresetSet set, long behind) {
    log.info("regeneration to presets {} ({}) started on this node: {} image(s) to bring up to date", set.presets(),
        set.fingerprint(), behind);
    long start = System.nanoTime();
    long madeBefore = made.get();
    return step(set, OutdatedPage.Position.START).onSuccess(finished -> {
      if (finished) {
        double seconds = (System.nanoTime() - start) / 1e9;
        long n = made.get() - madeBefore;
        log.info("regeneration to {} done on this node: {} image(s) in {} s ({} images/s)", set.fingerprint(), n,
            Math.round(seconds * 10) / 10.0, seconds > 0 ? Math.round(n / seconds * 10) / 10.0 : 0);
      }
    }).mapEmpty();
  }

  /** One step: the next few images after {@code after}; @return whether the run finished (not cut off) */
  private Future<Boolean> step(PresetSet set, OutdatedPage.Position after) {
    int batch = Math.max(8, 4 * config.concurrency());
    String fingerprint = set.fingerprint();
    return catalog.outdated(fingerprint, after, batch).compose(page -> {
      List<Image> images = page.images();
      if (images.isEmpty()) {
        return catalog.countOutdated(fingerprint).compose(left -> lease.finish(left, System.currentTimeMillis()));
      }
      AtomicBoolean lost = new AtomicBoolean();
      return inLanes(images, set, lost).compose(v -> {
        if (lost.get() || stopping) {
          return Future.succeededFuture(false);
        }
        return presets.refresh().compose(now -> now.fingerprint().equals(fingerprint)
            ? step(set, page.next())
            // the presets changed under the run: the next check starts one to the new ones
            : lease.release().map(false));
      });
    });
  }

  /**
   * The images, {@code regeneration.concurrency} at a time, each recorded in the lease row as it ends;
   * a lane stops when the lease was lost (or could not be renewed) or the node stops. Lanes never fail,
   * so the step waits for all of them: none may still run when the next check takes the lease again.
   */
  private Future<Void> inLanes(List<Image> images, PresetSet set, AtomicBoolean lost) {
    int lanes = Math.min(config.concurrency(), images.size());
    List<Future<Void>> all = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      Future<Void> chain = Future.succeededFuture();
      for (int i = lane; i < images.size(); i += lanes) {
        Image image = images.get(i);
        chain = chain.compose(v -> lost.get() || stopping ? Future.succeededFuture() : one(image, set)
            .compose(error -> lease.image(error, System.currentTimeMillis()))
            .otherwise(false)
            .map(held -> {
              lost.compareAndSet(false, !held);
              return null;
            }));
      }
      all.add(chain);
    }
    return Future.all(all).mapEmpty();
  }

  /** @return null when the image is up to date, else why not */
  private Future<String> one(Image image, PresetSet set) {
    return remaker.bringUpToDate(image, set).map(v -> {
      made.incrementAndGet();
      behind = Math.max(0, behind - 1); // the gauge moves during a run too, which holds off this node's checks
      return (String) null;
    }).otherwise(e -> {
      failed.incrementAndGet();
      log.warn("regeneration: image {} could not be brought to the current presets: {}", image.id(), e.toString());
      return image.id() + ": " + e.getMessage();
    });
  }
}
