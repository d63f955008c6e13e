package org.imgedge.cdn;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.imgedge.catalog.Sql;
import org.imgedge.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what deletes recorded in the outbox, on every node: at once when this node deleted, and
 * every second for what others recorded, what failed and what a dead node held. For each image it first
 * drops the image from every cache tier of every node ({@link #CACHES}), and only then sends the CDN's
 * calls: a CDN that asked again after its purge must find no copy left to cache for a year. This also
 * makes the caches' part durable: a node that crashed between the row's delete and its cache
 * invalidation leaves the rows to any other node. A call that fails is retried with a backoff that
 * doubles from 1 s up to 5 min, and never given up: a photo its owner deleted must not stay public, so a
 * target that stays down shows in /metrics instead.
 */
public final class CdnPurger extends VerticleBase {

  /** The outbox target that stands for the service's own cache tiers (memory on every node, and Redis). */
  public static final String CACHES = "caches";

  private static final Logger log = LoggerFactory.getLogger(CdnPurger.class);
  private static final long PERIOD_MILLIS = 1_000;
  private static final long STATS_PERIOD_MILLIS = 15_000;
  private static final long CALL_TIMEOUT_MILLIS = 5_000;
  /** A taken row is left alone this long: well past the call's timeout, so two nodes never send it at once. */
  private static final long LEASE_MILLIS = 30_000;
  private static final long MAX_BACKOFF_MILLIS = 300_000;
  private static final int BATCH = 32;

  private final PurgeOutbox outbox;
  private final Map<String, PurgeTarget> targets;
  private final Function<String, Future<Void>> dropFromCaches;
  private final AtomicLong purged = new AtomicLong();
  private final AtomicLong failedCalls = new AtomicLong();
  private volatile PurgeOutbox.Stats stats = PurgeOutbox.Stats.NONE;
  private HttpClient client;
  private boolean running;
  private boolean again;

  /** @param dropFromCaches drops an image from every cache tier of every node; fails when that cannot be sure */
  public CdnPurger(Sql sql, CdnConfig config, Metrics metrics, Function<String, Future<Void>> dropFromCaches) {
    this.outbox = new PurgeOutbox(sql);
    this.targets = config.purge().stream().collect(Collectors.toMap(PurgeTarget::name, Function.identity()));
    this.dropFromCaches = dropFromCaches;
    metrics.clusterGauge("imgedge_cdn_purges_pending", "CDN purge calls that deletes recorded and no target has confirmed yet",
        () -> stats.pending());
    metrics.clusterGauge("imgedge_cdn_purges_failing", "Pending CDN purge calls whose last attempt failed (retried with backoff)",
        () -> stats.failing());
    metrics.clusterGauge("imgedge_cdn_purges_oldest_age_seconds", "Age of the oldest pending CDN purge call",
        () -> stats.oldestAgeSeconds());
    metrics.counter("imgedge_cdn_purge_calls_done", "CDN purge calls their target confirmed", purged::get);
    metrics.counter("imgedge_cdn_purge_calls_failed", "CDN purge call attempts that failed", failedCalls::get);
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient();
    vertx.setPeriodic(PERIOD_MILLIS, id -> round());
    vertx.setPeriodic(STATS_PERIOD_MILLIS, id -> refreshStats());
    round();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return client.close();
  }

  /** A delete on this node has dropped its image from the caches: send its calls now rather than at the next tick. */
  public void wake() {
    if (context != null) {
      context.runOnContext(v -> round());
    }
  }

  /** Reads the outbox's figures for /metrics: a scrape must not wait on the database. */
  private Future<Void> refreshStats() {
    return outbox.stats(System.currentTimeMillis()).onSuccess(s -> stats = s).mapEmpty();
  }

  private void round() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    long now = System.currentTimeMillis();
    outbox.take(now, now + LEASE_MILLIS, BATCH)
        .compose(taken -> {
          Map<String, List<PurgeOutbox.Pending>> byImage = taken.stream()
              .collect(Collectors.groupingBy(PurgeOutbox.Pending::imageId, LinkedHashMap::new, Collectors.toList()));
          List<Future<Void>> images = new ArrayList<>();
          byImage.forEach((imageId, calls) -> images.add(image(imageId, calls)));
          Future<Integer> sent = Future.join(images).map(taken.size());
          return taken.isEmpty() ? sent : sent.compose(n -> refreshStats().map(n));
        })
        .onComplete(r -> {
          running = false;
          if (r.failed()) {
            log.warn("CDN purges: could not read the outbox, retrying: {}", r.cause().toString());
          } else if (again || r.result() == BATCH) {
            round();
          }
        });
  }

  /** The caches first; each CDN call only once they are sure to hold no copy. */
  private Future<Void> image(String imageId, List<PurgeOutbox.Pending> calls) {
    return dropFromCaches.apply(imageId).transform(dropped -> {
      List<Future<Void>> sent = new ArrayList<>();
      for (PurgeOutbox.Pending call : calls) {
        if (dropped.failed()) {
          sent.add(retry(call, "the caches could not be told: " + dropped.cause()));
        } else if (CACHES.equals(call.target())) {
          sent.add(outbox.done(call.id()));
        } else {
          sent.add(send(call));
        }
      }
      return Future.join(sent).mapEmpty();
    });
  }

  private Future<Void> send(PurgeOutbox.Pending call) {
    PurgeTarget target = targets.get(call.target());
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.valueOf(call.method()))
        .setAbsoluteURI(call.url())
        .setTimeout(CALL_TIMEOUT_MILLIS);
    if (target != null && target.sendsHeadersTo(call.url())) {
      target.headers().forEach(options::putHeader);
    }
    return client.request(options)
        .compose(request -> request.send())
        .compose(response -> response.body().map(b -> response))
        .compose(response -> {
          if (confirmed(call, response)) {
            purged.incrementAndGet();
            return outbox.done(call.id());
          }
          return retry(call, "answered " + response.statusCode());
        }, e -> retry(call, e.toString()));
  }

  /**
   * 2xx; or, for a PURGE, 404: the cache holds no copy, which is what nginx's purge module answers then.
   * An API's 404 (a wrong service id) is a failure.
   */
  private static boolean confirmed(PurgeOutbox.Pending call, HttpClientResponse response) {
    return response.statusCode() / 100 == 2 || response.statusCode() == 404 && "PURGE".equals(call.method());
  }

  private Future<Void> retry(PurgeOutbox.Pending call, String why) {
    failedCalls.incrementAndGet();
    long backoff = Math.min(MAX_BACKOFF_MILLIS, 1_000L << Math.min(20, call.attempts() - 1));
    if (call.attempts() == 1 || call.attempts() % 10 == 0) {
      log.warn("CDN purge {} {} failed ({}), attempt {}; retrying in {} s", call.method(), call.url(), why, call.attempts(),
          backoff / 1000);
    }
    return outbox.retryAt(call.id(), System.currentTimeMillis() + backoff, why);
  }
}
