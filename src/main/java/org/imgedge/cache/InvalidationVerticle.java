package org.imgedge.cache;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on Redis pub/sub for deletes made on any node, drops those images from this node's memory and
 * acknowledges them; keeps this node's {@link MemoryFence} open with heartbeats; and listens for list changes (uploads, deletes, analysis status) and moves those owners' cached list pages on.
 * A subscription needs a connection of its own. When it breaks, this node may miss messages, so after
 * every reconnect it empties its memory tier: stale bytes are worse than a few extra Redis reads. List
 * pages go stale more easily, so the list cache is off from the break until the node is subscribed again.
 */
public final class InvalidationVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(InvalidationVerticle.class);
  private static final long RETRY_MILLIS = 1_000;

  private final Redis redis;
  private final RedisTier tier;
  private final VariantCache cache;
  private final ListPageCache lists;
  private RedisConnection connection;
  private boolean stopped;
  private boolean retryScheduled;
  /** Tells this node's beats from the other nodes'. */
  private final String node = UUID.randomUUID().toString();
  private long lastBeatHeardNanos;
  /** Several windows without a beat heard back: the subscription is resubscribed. */
  private static final long SILENCE_MILLIS = 3 * MemoryFence.WINDOW_MILLIS;

  public InvalidationVerticle(Redis redis, RedisTier tier, VariantCache cache, ListPageCache lists) {
    this.redis = redis;
    this.tier = tier;
    this.cache = cache;
    this.lists = lists;
  }

  @Override
  public Future<?> start() {
    // Start even when Redis is down: the node serves from storage and subscribes once Redis is back.
    subscribe();
    vertx.setPeriodic(MemoryFence.BEAT_MILLIS, id -> beat());
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
          lastBeatHeardNanos = System.nanoTime(); // the silence counts from this subscription, not from the last one
          conn.handler(this::onMessage);
          conn.exceptionHandler(e -> retry("connection failed: " + e));
          conn.endHandler(v -> retry("connection closed"));
          return conn.send(Request.cmd(Command.SUBSCRIBE).arg(tier.channel()));
        })
        .onSuccess(r -> {
          cache.invalidateAllInMemory();
          lists.resume();
          log.info("listening for deletes and list changes on Redis channel {}", tier.channel());
        })
        .onFailure(e -> retry(e.toString()));
  }

  private void retry(String why) {
    // A broken connection reports both an exception and its end: retry once.
    if (stopped || retryScheduled) {
      return;
    }
    retryScheduled = true;
    tier.fence().close();
    lists.suspend();
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

  /** Pub/sub pushes arrive as ["message", channel, message]; {@link RedisTier#LIST_CHANGE} lists the messages. */
  private void onMessage(Response push) {
    if ((push.type() != ResponseType.PUSH && push.type() != ResponseType.MULTI) || push.size() != 3
        || !"message".equals(push.get(0).toString())) {
      return;
    }
    String message = push.get(2).toString();
    if (message.startsWith(RedisTier.BEAT)) {
      String[] beat = message.split(":");
      if (beat.length == 3 && beat[1].equals(node)) {
        tier.fence().heardBeat(Long.parseLong(beat[2]));
        lastBeatHeardNanos = System.nanoTime();
      }
    } else if (message.startsWith(RedisTier.DELETE) || message.startsWith(RedisTier.DROP)) {
      String[] parts = message.split(":");
      if (parts.length == 3) {
        if (message.startsWith(RedisTier.DELETE)) {
          cache.invalidateInMemory(parts[2]);
        } else {
          cache.dropFromMemory(parts[2]);
        }
        tier.publish(RedisTier.ACK + parts[1]);
      }
    } else if (message.startsWith(RedisTier.ACK)) {
      tier.acknowledged(message.substring(RedisTier.ACK.length()));
    } else if (message.startsWith(RedisTier.LIST_CHANGE)) {
      lists.ownerChangedElsewhere(message.substring(RedisTier.LIST_CHANGE.length()));
    } else if (message.indexOf(':') < 0) {
      cache.invalidateInMemory(message); // a bare image id: a delete published by a node of an earlier version
    }
  }

  /**
   * This node's beat: hearing it back proves it has heard everything published before it was sent. A
   * subscription that hears none for a while is half open (no error, no end, nothing delivered): it is
   * dropped and made again, as after a break.
   */
  private void beat() {
    if (connection == null || retryScheduled) {
      return;
    }
    if (System.nanoTime() - lastBeatHeardNanos > TimeUnit.MILLISECONDS.toNanos(SILENCE_MILLIS)) {
      retry("no heartbeat heard back for " + SILENCE_MILLIS + " ms");
      return;
    }
    tier.publish(RedisTier.BEAT + node + ":" + System.nanoTime());
  }
}
