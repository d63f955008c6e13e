package org.imgedge.imaging;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.config.ConfigException;
import org.imgedge.config.Json;
import org.imgedge.imaging.codec.Chroma;

/**
 * {@code presets: {"small": {"box": 400, "quality": 85, "formats": ["jpeg", "webp"], "webpQuality": 83}, ...}}:
 * the variants made of every upload. A preset set to {@code null} is dropped, so an operator's file can
 * remove one of the defaults.
 */
public final class PresetsConfig {

  /** What a preset holds; anything else is a slip the operator should hear about (see config.KnownKeys). */
  private static final Set<String> FIELDS = Set.of("box", "quality", "progressive", "formats", "webpQuality", "avifQuality",
      "chroma");

  /** What a preset without {@code formats} is made in. */
  static final List<String> DEFAULT_FORMATS = List.of("jpeg", "webp");
  /** libwebp's quality whose median SSIM matches JPEG q85's on the corpus photos (bench/pipeline.sh). */
  static final int DEFAULT_WEBP_QUALITY = 83;
  /** libheif's AV1 quality whose median SSIM matches JPEG q85's on the corpus photos (bench/pipeline.sh). */
  static final int DEFAULT_AVIF_QUALITY = 62;

  private PresetsConfig() {}

  public static List<Preset> from(Json j) {
    List<Preset> presets = new ArrayList<>();
    for (String name : j.raw().fieldNames()) {
      if (!Preset.isWellFormedName(name)) {
        throw new ConfigException("presets." + name, "preset names are lowercase letters, digits and '-'");
      }
      Object value = j.raw().getValue(name);
      if (value == null) {
        continue; // "small": null in an operator's file removes a default preset (files are merged over the defaults)
      }
      if (!(value instanceof JsonObject)) {
        throw new ConfigException("presets." + name, "must be an object with box and quality");
      }
      Json p = j.section(name);
      for (String field : p.raw().fieldNames()) {
        if (!FIELDS.contains(field)) {
          throw ConfigException.unknownKey("presets." + name + "." + field,
              FIELDS.stream().map(f -> "presets." + name + "." + f).toList());
        }
      }
      if (p.raw().getValue("box") == null) {
        throw new ConfigException("presets." + name + ".box", "is required: the square, in pixels, the variant fits in");
      }
      presets.add(new Preset(name,
          p.integer("box", 0, 16, 8192),
          p.integer("quality", 85, 1, 100),
          bool(p, name, "progressive"),
          formats(p, name),
          p.integer("webpQuality", DEFAULT_WEBP_QUALITY, 1, 100),
          p.integer("avifQuality", DEFAULT_AVIF_QUALITY, 1, 100),
          chroma(p, name)));
    }
    if (presets.isEmpty()) {
      throw new ConfigException("presets", "at least one preset is needed");
    }
    presets.sort((a, b) -> Integer.compare(a.box(), b.box()));
    return List.copyOf(presets);
  }

  /** A JSON array, or a comma-separated string as an environment variable gives it; JPEG is added when missing. */
  private static Set<VariantFormat> formats(Json p, String name) {
    Object value = p.raw().getValue("formats");
    List<?> names;
    if (value == null) {
      names = DEFAULT_FORMATS;
    } else if (value instanceof JsonArray a) {
      names = a.getList();
    } else if (value instanceof String s) {
      names = List.of(s.split(","));
    } else {
      throw new ConfigException("presets." + name + ".formats", "must be a list such as [\"jpeg\", \"webp\"]");
    }
    Set<VariantFormat> formats = EnumSet.of(VariantFormat.JPEG);
    for (Object n : names) {
      String wire = String.valueOf(n).trim();
      formats.add(VariantFormat.ofWire(wire).orElseThrow(() -> new ConfigException("presets." + name + ".formats",
          "knows jpeg, webp and avif, not '" + wire + "'")));
    }
    return formats;
  }

  /** "4:2:0" (the default) or "4:4:4". */
  private static Chroma chroma(Json p, String name) {
    Object value = p.raw().getValue("chroma");
    if (value == null) {
      return Chroma.SUBSAMPLED;
    }
    return Chroma.fromWire(String.valueOf(value).trim())
        .orElseThrow(() -> new ConfigException("presets." + name + ".chroma", "is \"4:2:0\" or \"4:4:4\", not '" + value + "'"));
  }

  private static boolean bool(Json p, String name, String key) {
    Object v = p.raw().getValue(key);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw new ConfigException("presets." + name + "." + key, "must be true or false");
  }
}
