package org.imgedge.catalog;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.imgedge.support.Hashing;

/**
 * One stored variant, as recorded at upload: the JPEG, and the same pixels in other formats ({@code others}).
 * Each file's SHA-256 gives its own ETag and URL version.
 *
 * @param spec   the spec of the preset it was made with ({@code Preset.spec()}); null in records made
 *     before variants recorded it
 * @param format what this record's bytes and SHA-256 are: JPEG for the catalog's records, another format
 *     only in the views {@link #as} gives
 * @param others the other formats' files of a JPEG record, empty in views
 */
public record Variant(String preset, int width, int height, long bytes, String sha256, String spec,
    VariantFormat format, Map<VariantFormat, Encoding> others) {

  /** One file of the variant in a format other than JPEG. */
  public record Encoding(long bytes, String sha256) {}

  public Variant {
    others = others.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(others));
  }

  /** A JPEG variant with no other formats, as every variant was before there were other formats. */
  public Variant(String preset, int width, int height, long bytes, String sha256, String spec) {
    this(preset, width, height, bytes, sha256, spec, VariantFormat.JPEG, Map.of());
  }

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

  /** The file of this variant in {@code f}, as a record of its own (width and height are the same), if it was made. */
  public Optional<Variant> as(VariantFormat f) {
    if (f == format) {
      return Optional.of(this);
    }
    Encoding e = others.get(f);
    return e == null ? Optional.empty() : Optional.of(new Variant(preset, width, height, e.bytes(), e.sha256(), spec, f, Map.of()));
  }

  /** Every file of this variant, each as a record of its own ({@link #as}), JPEG first. */
  public List<Variant> files() {
    List<Variant> files = new ArrayList<>();
    for (VariantFormat f : VariantFormat.values()) {
      as(f).ifPresent(files::add);
    }
    return files;
  }

  /** This record with {@code f}'s file added (or replaced) and the spec it now has. */
  public Variant with(VariantFormat f, Encoding e, String newSpec) {
    Map<VariantFormat, Encoding> more = new EnumMap<>(VariantFormat.class);
    more.putAll(others);
    more.put(f, e);
    return new Variant(preset, width, height, bytes, sha256, newSpec, format, more);
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
    return "/v1/images/" + imageId + "/" + preset + "." + format.extension();
  }

  /** The one JSON form of a variant's record, as the catalog's column and the Redis entries store it. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("preset", preset).put("width", width).put("height", height).put("bytes", bytes)
        .put("sha256", sha256).put("spec", spec);
    if (format != VariantFormat.JPEG) {
      json.put("format", format.wire());
    }
    if (!others.isEmpty()) {
      JsonObject formats = new JsonObject();
      new EnumMap<>(others).forEach((f, e) -> formats.put(f.wire(), new JsonObject().put("bytes", e.bytes()).put("sha256", e.sha256())));
      json.put("formats", formats);
    }
    return json;
  }

  /** Reads {@link #toJson}; a format this build does not know (written by a newer node) is skipped. */
  public static Variant fromJson(JsonObject json) {
    Map<VariantFormat, Encoding> others = new EnumMap<>(VariantFormat.class);
    JsonObject formats = json.getJsonObject("formats");
    if (formats != null) {
      for (String name : formats.fieldNames()) {
        JsonObject e = formats.getJsonObject(name);
        VariantFormat.ofWire(name).ifPresent(f -> others.put(f, new Encoding(e.getLong("bytes"), e.getString("sha256"))));
      }
    }
    String format = json.getString("format");
    return new Variant(json.getString("preset"), json.getInteger("width"), json.getInteger("height"), json.getLong("bytes"),
        json.getString("sha256"), json.getString("spec"),
        format == null ? VariantFormat.JPEG : VariantFormat.ofWire(format).orElse(VariantFormat.JPEG), others);
  }
}
