package org.imgedge.scrub;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a scrub found, as the admin endpoint shows it: counts, and the ids of what was wrong. An entry
 * names a blob as {@code <image id>/<preset>} for a variant, or the image id for its original.
 */
final class ScrubReport {

  enum State { IDLE, RUNNING, DONE, FAILED }

  private State state = State.IDLE;
  private Instant startedAt;
  private Instant finishedAt;
  private long images;
  private long blobs;
  private long bytes;
  private String error;
  private final List<String> originalsMissing = new ArrayList<>();
  private final List<String> originalsCorrupt = new ArrayList<>();
  private final List<String> variantsMissing = new ArrayList<>();
  private final List<String> variantsCorrupt = new ArrayList<>();
  private final List<String> variantsRemade = new ArrayList<>();
  private final List<String> remakesFailed = new ArrayList<>();

  static ScrubReport started(Instant now) {
    ScrubReport r = new ScrubReport();
    r.state = State.RUNNING;
    r.startedAt = now;
    return r;
  }

  synchronized boolean running() {
    return state == State.RUNNING;
  }

  synchronized void image() {
    images++;
  }

  synchronized void blob(long size) {
    blobs++;
    bytes += size;
  }

  synchronized void originalMissing(String id) {
    originalsMissing.add(id);
  }

  synchronized void originalCorrupt(String id) {
    originalsCorrupt.add(id);
  }

  synchronized void variantMissing(String name) {
    variantsMissing.add(name);
  }

  synchronized void variantCorrupt(String name) {
    variantsCorrupt.add(name);
  }

  synchronized void remade(String name) {
    variantsRemade.add(name);
  }

  synchronized void remakeFailed(String name, String why) {
    remakesFailed.add(name + ": " + why);
  }

  synchronized void finish(Instant now, Throwable failure) {
    state = failure == null ? State.DONE : State.FAILED;
    error = failure == null ? null : failure.toString();
    finishedAt = now;
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized JsonObject toJson() {
    JsonObject json = new JsonObject().put("state", state.name().toLowerCase())
        .put("startedAt", startedAt == null ? null : startedAt.toString())
        .put("finishedAt", finishedAt == null ? null : finishedAt.toString())
        .put("images", images).put("blobs", blobs).put("bytes", bytes)
        .put("originalsMissing", new JsonArray(List.copyOf(originalsMissing)))
        .put("originalsCorrupt", new JsonArray(List.copyOf(originalsCorrupt)))
        .put("variantsMissing", new JsonArray(List.copyOf(variantsMissing)))
        .put("variantsCorrupt", new JsonArray(List.copyOf(variantsCorrupt)))
        .put("variantsRemade", new JsonArray(List.copyOf(variantsRemade)))
        .put("remakesFailed", new JsonArray(List.copyOf(remakesFailed)));
    if (startedAt != null) {
      double seconds = ((finishedAt == null ? Instant.now() : finishedAt).toEpochMilli() - startedAt.toEpochMilli()) / 1000.0;
      json.put("megabytesPerSecond", seconds > 0 ? Math.round(bytes / 1e6 / seconds * 10) / 10.0 : 0);
    }
    if (error != null) {
      json.put("error", error);
    }
    return json;
  }
}
