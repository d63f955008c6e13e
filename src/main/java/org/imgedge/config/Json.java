package org.imgedge.config;

import io.vertx.core.json.JsonObject;

/** Typed reads of one configuration section that name the full key when a value has the wrong type. */
public final class Json {

  private final JsonObject section;
  private final String prefix;

  public Json(JsonObject root, String name) {
    this(root, name, name);
  }

  /** A section nested deeper: {@code path} is its full key, for messages ("presets.small"). */
  public Json(JsonObject parent, String name, String path) {
    Object value = parent.getValue(name);
    if (value != null && !(value instanceof JsonObject)) {
      throw new ConfigException(path, "must be an object");
    }
    this.section = value == null ? new JsonObject() : (JsonObject) value;
    this.prefix = path + ".";
  }

  /** The nested section {@code name} of this one. */
  public Json section(String name) {
    return new Json(section, name, prefix + name);
  }

  public JsonObject raw() {
    return section;
  }

  public String string(String key, String dflt) {
    Object v = section.getValue(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof String s)) {
      throw new ConfigException(prefix + key, "must be a string");
    }
    return s;
  }

  public long number(String key, long dflt, long min, long max) {
    Object v = section.getValue(key);
    if (v == null) {
      return dflt;
    }
    long n;
    if (v instanceof Number num) {
      n = num.longValue();
    } else if (v instanceof String s && s.matches("-?\\d+")) {
      n = Long.parseLong(s); // environment variables arrive as text
    } else {
      throw new ConfigException(prefix + key, "must be a whole number");
    }
    if (n < min || n > max) {
      throw new ConfigException(prefix + key, "must be between " + min + " and " + max + ", was " + n);
    }
    return n;
  }

  public int integer(String key, int dflt, int min, int max) {
    return (int) number(key, dflt, min, max);
  }
}
