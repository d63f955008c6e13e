package org.imgedge.catalog;

import io.vertx.core.json.JsonObject;

/** One stored JPEG variant, as recorded at upload. Its SHA-256 gives the ETag and the URL version. */
public record Variant(String preset, int width, int height, long bytes, String sha256) {

  /** Strong ETag: changes exactly when the bytes do. */
  public String etag() {
    return "\"" + sha256.substring(0, 32) + "\"";
  }

  /** The {@code ?v=} value of immutable URLs. */
  public String version() {
    return sha256.substring(0, 8);
  }

  /** The path it is served at, by name: {@code ?v=} and {@code sig} come on top. */
  public String path(String imageId) {
    return "/v1/images/" + imageId + "/" + preset + ".jpg";
  }

  /** The one JSON form of a variant's record, as the catalog's column and the Redis entries store it. */
  public JsonObject toJson() {
    return new JsonObject().put("preset", preset).put("width", width).put("height", height).put("bytes", bytes)
        .put("sha256", sha256);
  }

  public static Variant fromJson(JsonObject json) {
    return new Variant(json.getString("preset"), json.getInteger("width"), json.getInteger("height"), json.getLong("bytes"),
        json.getString("sha256"));
  }
}
