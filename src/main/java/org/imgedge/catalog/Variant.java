package org.imgedge.catalog;

import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.imgedge.support.Hashing;

/**
 * One stored JPEG variant, as recorded at upload. Its SHA-256 gives the ETag and the URL version.
 *
 * @param spec the spec of the preset it was made with ({@code Preset.spec()}); null in records made
 *     before variants recorded it
 */
public record Variant(String preset, int width, int height, long bytes, String sha256, String spec) {

  /**
   * The fingerprint of an image with these variants: a preset set's when they are its presets at its specs
   * and the image has its placeholder.
   */
  public static String fingerprint(Collection<Variant> variants, boolean hasPlaceholder) {
    Map<String, String> specs = new LinkedHashMap<>();
    variants.forEach(v -> specs.put(v.preset(), v.spec() == null ? "" : v.spec()));
    if (hasPlaceholder) {
      specs.put(Hashing.PLACEHOLDER_ENTRY, Hashing.PLACEHOLDER_SPEC);
    }
    return Hashing.fingerprint(specs);
  }

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
        .put("sha256", sha256).put("spec", spec);
  }

  public static Variant fromJson(JsonObject json) {
    return new Variant(json.getString("preset"), json.getInteger("width"), json.getInteger("height"), json.getLong("bytes"),
        json.getString("sha256"), json.getString("spec"));
  }
}
