package org.imgedge.cache;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.imgedge.catalog.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache tier all nodes share. It is only a cache: every call has a short timeout, and a Redis that
 * is down or slow reads as a miss (or a skipped write), never as an error, so variants keep being
 * served from storage. Each value is the variant's row as a small JSON header, then its bytes.
 */
public final class RedisTier {

  private static final Logger log = LoggerFactory.getLogger(RedisTier.class);

  private final Redis redis;
  private final RedisConfig config;
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private final MemoryFence fence = new MemoryFence();
  /** Deletes published by this node that wait for acknowledgements, by token. */
  private final Map<String, AckWait> acks = new ConcurrentHashMap<>();
  private final Vertx vertx;

  public RedisTier(Vertx vertx, Redis redis, RedisConfig config) {
    this.vertx = vertx;
    this.redis = redis;
    this.config = config;
  }

  MemoryFence fence() {
    return fence;
  }

  /** The channel deletes and list changes are announced on; every node's {@link InvalidationVerticle} listens. */
  String channel() {
    return config.keyPrefix() + "invalidate";
  }

  /**
   * The invalidation channel's messages: {@code list:<owner>}, {@code del:<token>:<imageId>} (deleted),
   * {@code drop:<token>:<imageId>} (variants made again), {@code ack:<token>}, {@code beat:<node>:<nanos>}.
   */
  static final String LIST_CHANGE = "list:";
  static final String DELETE = "del:";
  static final String DROP = "drop:";
  static final String ACK = "ack:";
  static final String BEAT = "beat:";

  /** Tells every node that this owner's image list changed; a Redis that is down is logged, not failed. */
  void publishListChange(String owner) {
    send(Request.cmd(Command.PUBLISH).arg(channel()).arg(LIST_CHANGE + owner));
  }

  Future<Optional<VariantBytes>> get(VariantCache.Key key) {
    return send(Request.cmd(Command.GET).arg(key(key)))
        .map(r -> r == null ? Optional.<VariantBytes>empty() : Optional.of(decode(r.toBuffer())))
        .otherwise(Optional.empty());
  }

  /**
   * Stores the variant unless its image was deleted: a read that began before the delete, and ends after
   * it, must not put the deleted bytes back for {@code ttlSeconds}. One script, so the check and the write
   * are one step for Redis.
   */
  void put(VariantCache.Key key, VariantBytes value) {
    send(Request.cmd(Command.EVAL).arg(PUT_UNLESS_DELETED).arg(2).arg(key(key)).arg(tombstone(key.imageId()))
        .arg(encode(value)).arg(config.ttlSeconds()));
  }

  private static final String PUT_UNLESS_DELETED =
      "if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) return 1";

  /** Set by a delete for as long as a variant may live in Redis. */
  private String tombstone(String imageId) {
    return config.keyPrefix() + "deleted:" + imageId;
  }

  /**
   * Marks the image deleted (so that no read still under way puts it back, see {@link #put}), removes its
   * variants, and tells every node to drop them from memory. Completes when every node that heard the
   * message acknowledged it, or {@link MemoryFence#ACK_WAIT_MILLIS} after the publish, by which time a
   * node that did not has stopped trusting its memory. Fails when Redis could not be told: the caller's
   * outbox tries again.
   */
  Future<Void> invalidate(String imageId, Collection<VariantCache.Key> keys, boolean deleted) {
    Request del = Request.cmd(Command.DEL);
    keys.forEach(k -> del.arg(key(k)));
    String token = UUID.randomUUID().toString();
    AckWait wait = new AckWait(Promise.promise());
    acks.put(token, wait); // before the publish: an acknowledgement may come back before PUBLISH's answer
    long[] timer = {-1};
    Future<Response> marked = deleted
        ? send(Request.cmd(Command.SET).arg(tombstone(imageId)).arg("1").arg("EX").arg(config.ttlSeconds()))
        : Future.succeededFuture();
    marked.compose(r -> send(del))
        .compose(r -> send(Request.cmd(Command.PUBLISH).arg(channel()).arg((deleted ? DELETE : DROP) + token + ":" + imageId)))
        .onSuccess(listeners -> {
          wait.expect(listeners.toInteger());
          timer[0] = vertx.setTimer(MemoryFence.ACK_WAIT_MILLIS, t -> {
            if (wait.done().tryComplete()) {
              log.warn("delete of {}: {} of {} nodes acknowledged within {} ms; the others no longer serve from memory",
                  imageId, wait.heard(), wait.expected(), MemoryFence.ACK_WAIT_MILLIS);
            }
          });
        })
        .onFailure(e -> wait.done().tryFail(e));
    return wait.done().future().onComplete(r -> {
      acks.remove(token);
      vertx.cancelTimer(timer[0]);
    });
  }

  /** Another node (or this one) dropped the image of a delete this node published. */
  void acknowledged(String token) {
    AckWait wait = acks.get(token);
    if (wait != null) {
      wait.heardOne();
    }
  }

  void publish(String message) {
    send(Request.cmd(Command.PUBLISH).arg(channel()).arg(message));
  }

  /** Acknowledgements counted against the number of nodes PUBLISH reached, which may be known before or after them. */
  private static final class AckWait {
    private final Promise<Void> done;
    private int heard;
    private int expected = -1;

    AckWait(Promise<Void> done) {
      this.done = done;
    }

    Promise<Void> done() {
      return done;
    }

    synchronized int heard() {
      return heard;
    }

    synchronized int expected() {
      return expected;
    }

    synchronized void heardOne() {
      heard++;
      completeIfAll();
    }

    synchronized void expect(int listeners) {
      expected = listeners;
      completeIfAll();
    }

    private void completeIfAll() {
      if (expected >= 0 && heard >= expected) {
        done.tryComplete();
      }
    }
  }

  /** @return succeeds when Redis answers a PING in time */
  public Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).timeout(config.timeoutMillis(), TimeUnit.MILLISECONDS).mapEmpty();
  }

  private Future<Response> send(Request request) {
    return redis.send(request)
        .timeout(config.timeoutMillis(), TimeUnit.MILLISECONDS)
        .onSuccess(r -> lastError.set(null))
        .onFailure(e -> {
          // One line per outage, not one per request.
          if (lastError.getAndSet(e.toString()) == null) {
            log.warn("Redis unavailable, serving from memory and storage: {}", e.toString());
          }
        });
  }

  private String key(VariantCache.Key key) {
    return config.keyPrefix() + "v:" + key.imageId() + ":" + key.preset() + key.format().nameSuffix();
  }

  static Buffer encode(VariantBytes value) {
    Variant v = value.variant();
    byte[] header = v.toJson().put("lastModified", value.lastModified().toEpochMilli()).encode().getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(4 + header.length + value.bytes().length())
        .appendInt(header.length).appendBytes(header).appendBuffer(value.bytes());
  }

  static VariantBytes decode(Buffer value) {
    int headerLength = value.getInt(0);
    JsonObject h = new JsonObject(value.getString(4, 4 + headerLength, "UTF-8"));
    return new VariantBytes(Variant.fromJson(h), Instant.ofEpochMilli(h.getLong("lastModified")), value.getBuffer(4 + headerLength, value.length()));
  }
}
