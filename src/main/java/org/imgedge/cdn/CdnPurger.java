package org.imgedge.cdn;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
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
 * Carries out the purges that deletes recorded, on every node: at once when this node deleted, and
 * every second for what others recorded, what failed and what a dead node held. A call that fails is
 * retried with a backoff that doubles from 1 s up to 5 min, and never given up: a photo its owner
 * deleted must not stay public, so a target that stays down shows in /metrics instead.
 */
public final class CdnPurger extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(CdnPurger.class);
  private static final long PERIOD_MILLIS = 1_000;
  private static final long CALL_TIMEOUT_MILLIS = 5_000;
  /** A taken row is left alone this long: well past the call's timeout, so two nodes never send it at once. */
  private static final long LEASE_MILLIS = 30_000;
  private static final long MAX_BACKOFF_MILLIS = 300_000;
  private static final int BATCH = 32;

  private final PurgeOutbox outbox;
  private final Map<String, PurgeTarget> targets;
  private final AtomicLong purged = new AtomicLong();
  private final AtomicLong failedCalls = new AtomicLong();
  private volatile PurgeOutbox.Stats stats = PurgeOutbox.Stats.NONE;
  private HttpClient client;
  private boolean running;
  private boolean again;

  public CdnPurger(Sql sql, CdnConfig config, Metrics metrics) {
    this.outbox = new PurgeOutbox(sql);
    this.targets = config.purge().stream().collect(Collectors.toMap(PurgeTarget::name, Function.identity()));
    metrics.gauge("imgedge_cdn_purges_pending", "CDN purge calls that deletes recorded and no target has confirmed yet",
        () -> stats.pending());
    metrics.gauge("imgedge_cdn_purges_failing", "Pending CDN purge calls whose last attempt failed (retried with backoff)",
        () -> stats.failing());
    metrics.gauge("imgedge_cdn_purges_oldest_age_seconds", "Age of the oldest pending CDN purge call",
        () -> stats.oldestAgeSeconds());
    metrics.counter("imgedge_cdn_purge_calls_done", "CDN purge calls their target confirmed", purged::get);
    metrics.counter("imgedge_cdn_purge_calls_failed", "CDN purge call attempts that failed", failedCalls::get);
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient();
    vertx.setPeriodic(PERIOD_MILLIS, id -> round());
    round();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return client.close();
  }

  /** A delete on this node recorded purges: send them now rather than at the next tick. Any thread. */
  public void wake() {
    if (context != null) {
      context.runOnContext(v -> round());
    }
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
        .compose(taken -> Future.join(taken.stream().map(this::send).toList()).map(taken.size()))
        .compose(n -> outbox.stats(System.currentTimeMillis()).map(s -> {
          stats = s;
          return n;
        }))
        .onComplete(r -> {
          running = false;
          if (r.failed()) {
            log.warn("CDN purges: could not read the outbox, retrying: {}", r.cause().toString());
          } else if (again || r.result() == BATCH) {
            round();
          }
        });
  }

  private Future<Void> send(PurgeOutbox.Pending call) {
    PurgeTarget target = targets.get(call.target());
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.valueOf(call.method()))
        .setAbsoluteURI(call.url())
        .setTimeout(CALL_TIMEOUT_MILLIS);
    if (target != null) {
      target.headers().forEach(options::putHeader);
    }
    return client.request(options)
        .compose(request -> request.send())
        .compose(response -> response.body().map(b -> response))
        .compose(response -> {
          if (confirmed(response)) {
            purged.incrementAndGet();
            return outbox.done(call.id());
          }
          return retry(call, "answered " + response.statusCode());
        }, e -> retry(call, e.toString()));
  }

  /** 2xx, or 404: the target holds no copy, which is what a purge wants (nginx's purge module answers so). */
  private static boolean confirmed(HttpClientResponse response) {
    return response.statusCode() / 100 == 2 || response.statusCode() == 404;
  }

  private Future<Void> retry(PurgeOutbox.Pending call, String why) {
    failedCalls.incrementAndGet();
    long backoff = Math.min(MAX_BACKOFF_MILLIS, 1_000L << Math.min(20, call.attempts() - 1));
    if (call.attempts() == 1 || backoff == MAX_BACKOFF_MILLIS) {
      log.warn("CDN purge {} {} failed ({}), attempt {}; retrying in {} s", call.method(), call.url(), why, call.attempts(),
          backoff / 1000);
    }
    return outbox.retryAt(call.id(), System.currentTimeMillis() + backoff, why);
  }
}
