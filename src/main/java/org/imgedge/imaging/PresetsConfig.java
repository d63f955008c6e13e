package org.imgedge.imaging;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.imgedge.config.ConfigException;
import org.imgedge.config.Json;

/**
 * {@code presets: {"small": {"box": 400, "quality": 85}, ...}}: the variants made of every upload. A
 * preset set to {@code null} is dropped, so an operator's file can remove one of the defaults.
 */
public final class PresetsConfig {

  /** What a preset holds; anything else is a slip the operator should hear about (see config.KnownKeys). */
  private static final Set<String> FIELDS = Set.of("box", "quality");

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
          p.integer("quality", 85, 1, 100)));
    }
    if (presets.isEmpty()) {
      throw new ConfigException("presets", "at least one preset is needed");
    }
    presets.sort((a, b) -> Integer.compare(a.box(), b.box()));
    return List.copyOf(presets);
  }
}
