package org.imgedge.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.imgedge.cache.RedisConfig;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code limits.uploadsPerMinute}: how many uploads one owner may start in a minute. Checked after the
 * credential and before a byte of the body is read, so a refused upload costs one counter and stores nothing.
 * Every attempt counts, including ones refused later (too large, not an image): the limit is on the work
 * a client asks for, not on what succeeds.
 *
 * <p>A fixed window per owner that opens at the owner's first upload and lasts 60 s: one Redis round trip
 * (a script doing INCR, then EXPIRE when the window is new, then TTL for Retry-After), one key per active
 * owner, and the window is timed by Redis's clock, not by the nodes'. A sliding window would smooth the
 * edge where up to twice the limit can pass in a short span, at the cost of a sorted set per owner and more
 * work per upload; for a guard against a runaway client, the fixed window is enough.
 *
 * <p>Without {@code redis.url} the same window is kept in this process. When Redis is configured but
 * fails or is slow, the check falls back to the in-process window, so the limit holds per node (at most
 * nodes × limit) instead of stopping every upload: Redis is an optional dependency of this service (a
 * cache), and losing it must not turn into refusing the uploads that are its purpose.
 */
public final class UploadRate {

  private static final Logger log = LoggerFactory.getLogger(UploadRate.class);
  static final long WINDOW_SECONDS = 60;
  private static final String COUNT = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
      local ttl = redis.call('TTL', KEYS[1])
      if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
      return {n, ttl}
      """;

  private final int perMinute;
  private final Redis redis;
  private final RedisConfig redisConfig;
  private final Cache<String, Window> local;
  private final AtomicBoolean redisFailing = new AtomicBoolean();

  /** Uploads of one owner in the current window of this process. */
  private static final class Window {
    final long startNanos = System.nanoTime();
    int count;
  }

  /**
   * @param redis null for a count in this process only
   */
  public UploadRate(int perMinute, Redis redis, RedisConfig redisConfig) {
    this.perMinute = perMinute;
    this.redis = redis;
    this.redisConfig = redisConfig;
    this.local = Caffeine.newBuilder().expireAfter(new Expiry<String, Window>() {
      @Override
      public long expireAfterCreate(String key, Window value, long currentTime) {
        return TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);
      }

      @Override
      public long expireAfterUpdate(String key, Window value, long currentTime, long currentDuration) {
        return currentDuration;
      }

      @Override
      public long expireAfterRead(String key, Window value, long currentTime, long currentDuration) {
        return currentDuration;
      }
    }).build();
  }

  public boolean enabled() {
    return perMinute > 0;
  }

  /** Counts one upload of {@code owner}; fails with 429 and Retry-After when the owner's minute is used up. */
  public Future<Void> acquire(String owner) {
    if (perMinute <= 0) {
      return Future.succeededFuture();
    }
    if (redis == null) {
      return local(owner);
    }
    return redis.send(Request.cmd(Command.EVAL).arg(COUNT).arg(1).arg(redisConfig.keyPrefix() + "uploads:" + owner).arg(WINDOW_SECONDS))
        .timeout(redisConfig.timeoutMillis(), TimeUnit.MILLISECONDS)
        .transform(ar -> {
          if (ar.failed()) {
            if (redisFailing.compareAndSet(false, true)) {
              log.warn("Redis unavailable, limiting uploads per node until it is back: {}", ar.cause().toString());
            }
            return local(owner);
          }
          if (redisFailing.compareAndSet(true, false)) {
            log.info("Redis is back: the upload limit is shared by every node again");
          }
          Response r = ar.result();
          return decide(r.get(0).toLong(), r.get(1).toLong());
        });
  }

  private Future<Void> local(String owner) {
    long[] seen = new long[2]; // the count and the window's start, as this call left them
    local.asMap().compute(owner, (k, v) -> {
      Window window = v == null || System.nanoTime() - v.startNanos >= TimeUnit.SECONDS.toNanos(WINDOW_SECONDS) ? new Window() : v;
      seen[0] = ++window.count;
      seen[1] = window.startNanos;
      return window;
    });
    return decide(seen[0], WINDOW_SECONDS - Duration.ofNanos(System.nanoTime() - seen[1]).toSeconds());
  }

  private Future<Void> decide(long count, long secondsLeft) {
    if (count <= perMinute) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(AppException.retryLater(ProblemType.TOO_MANY_UPLOADS,
        "This owner may start " + perMinute + " uploads a minute; nothing of this one was read or kept.",
        (int) Math.max(1, Math.min(WINDOW_SECONDS, secondsLeft))));
  }
}
