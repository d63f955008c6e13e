package org.imgedge.presets;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;

/**
 * The deployment's regeneration as its row records it: the same on every node.
 *
 * @param presetSet  the fingerprint of the presets it brings images to ("" before the first)
 * @param holder     the node running it, or null
 * @param finishedAt null while it has images left to try
 * @param remaining  images not yet brought to {@code presetSet} at its last step, failed ones included (the
 *     admin endpoint counts them afresh when no run is under way)
 */
public record RegenerationStatus(String presetSet, String holder, long leaseExpiresAt, Long startedAt, Long updatedAt,
    Long finishedAt, long done, long failed, long remaining, String lastError) {

  static RegenerationStatus of(Row r) {
    return new RegenerationStatus(r.getString("preset_set"), r.getString("holder"), r.getLong("lease_expires_at"),
        r.getLong("started_at"), r.getLong("updated_at"), r.getLong("finished_at"), r.getLong("images_done"),
        r.getLong("images_failed"), r.getLong("images_remaining"), r.getString("last_error"));
  }

  /** @param now epoch ms */
  boolean runningAt(long now) {
    return holder != null && leaseExpiresAt >= now;
  }

  /**
   * As the admin endpoint shows it.
   *
   * @param current the fingerprint of the presets now
   * @param behind  images not at {@code current} now: none means done, whether or not a run was needed
   */
  JsonObject toJson(String current, long behind, long now) {
    boolean running = runningAt(now);
    boolean thisSet = presetSet.equals(current);
    String state = running ? "running" : behind == 0 || thisSet && finishedAt != null ? "done"
        : thisSet ? "interrupted" : "pending";
    JsonObject json = new JsonObject().put("state", state).put("presetSet", presetSet).put("node", running ? holder : null)
        .put("startedAt", instant(startedAt)).put("updatedAt", instant(updatedAt)).put("finishedAt", instant(finishedAt))
        .put("imagesDone", done).put("imagesFailed", failed).put("imagesRemaining", running ? remaining : behind)
        .put("lastError", lastError);
    if (startedAt != null && updatedAt != null && updatedAt > startedAt) {
      json.put("imagesPerSecond", Math.round(done * 10_000.0 / (updatedAt - startedAt)) / 10.0);
    }
    return json;
  }

  private static String instant(Long epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
  }
}
