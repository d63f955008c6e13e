package org.imgedge.cache;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
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

  public RedisTier(Redis redis, RedisConfig config) {
    this.redis = redis;
    this.config = config;
  }

  /** The channel deletes and list changes are announced on; every node's {@link InvalidationVerticle} listens. */
  String channel() {
    return config.keyPrefix() + "invalidate";
  }

  /**
   * Marks a list change on the invalidation channel, whose other messages are image ids. Ids never
   * contain a colon, so the two cannot be mistaken, and a node that predates list caching takes the
   * message for an unknown image id and ignores it.
   */
  static final String LIST_CHANGE = "list:";

  /** Tells every node that this owner's image list changed; a Redis that is down is logged, not failed. */
  void publishListChange(String owner) {
    send(Request.cmd(Command.PUBLISH).arg(channel()).arg(LIST_CHANGE + owner));
  }

  Future<Optional<VariantBytes>> get(VariantCache.Key key) {
    return send(Request.cmd(Command.GET).arg(key(key)))
        .map(r -> r == null ? Optional.<VariantBytes>empty() : Optional.of(decode(r.toBuffer())))
        .otherwise(Optional.empty());
  }

  void put(VariantCache.Key key, VariantBytes value) {
    send(Request.cmd(Command.SET).arg(key(key)).arg(encode(value)).arg("EX").arg(config.ttlSeconds()));
  }

  /** Removes the image's variants and tells every node to drop them from memory. */
  Future<Void> invalidate(String imageId, Collection<String> presets) {
    Request del = Request.cmd(Command.DEL);
    presets.forEach(p -> del.arg(key(new VariantCache.Key(imageId, p))));
    return send(del)
        .compose(r -> send(Request.cmd(Command.PUBLISH).arg(channel()).arg(imageId)))
        .<Void>mapEmpty()
        .otherwiseEmpty();
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
    return config.keyPrefix() + "v:" + key.imageId() + ":" + key.preset();
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
