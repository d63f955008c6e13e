package org.imgedge.cache;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on Redis pub/sub for deletes made on any node and drops those images from this node's memory.
 * A subscription needs a connection of its own. When it breaks, this node may miss deletes, so after
 * every reconnect it empties its memory tier: stale bytes are worse than a few extra Redis reads.
 */
public final class InvalidationVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(InvalidationVerticle.class);
  private static final long RETRY_MILLIS = 1_000;

  private final Redis redis;
  private final RedisTier tier;
  private final VariantCache cache;
  private RedisConnection connection;
  private boolean stopped;
  private boolean retryScheduled;

  public InvalidationVerticle(Redis redis, RedisTier tier, VariantCache cache) {
    this.redis = redis;
    this.tier = tier;
    this.cache = cache;
  }

  @Override
  public Future<?> start() {
    // Start even when Redis is down: the node serves from storage and subscribes once Redis is back.
    subscribe();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return connection == null ? Future.succeededFuture() : connection.close();
  }

  private void subscribe() {
    redis.connect()
        .compose(conn -> {
          connection = conn;
          conn.handler(this::onMessage);
          conn.exceptionHandler(e -> retry("connection failed: " + e));
          conn.endHandler(v -> retry("connection closed"));
          return conn.send(Request.cmd(Command.SUBSCRIBE).arg(tier.channel()));
        })
        .onSuccess(r -> {
          cache.invalidateAllInMemory();
          log.info("listening for deletes on Redis channel {}", tier.channel());
        })
        .onFailure(e -> retry(e.toString()));
  }

  private void retry(String why) {
    // A broken connection reports both an exception and its end: retry once.
    if (stopped || retryScheduled) {
      return;
    }
    retryScheduled = true;
    if (connection != null) {
      connection.close();
      connection = null;
    }
    log.warn("Redis subscription lost ({}); retrying in {} ms", why, RETRY_MILLIS);
    vertx.setTimer(RETRY_MILLIS, t -> {
      retryScheduled = false;
      subscribe();
    });
  }

  /** Pub/sub pushes arrive as ["message", channel, imageId]. */
  private void onMessage(Response push) {
    if (push.type() == ResponseType.PUSH || push.type() == ResponseType.MULTI) {
      if (push.size() == 3 && "message".equals(push.get(0).toString())) {
        cache.invalidateInMemory(push.get(2).toString());
      }
    }
  }
}
