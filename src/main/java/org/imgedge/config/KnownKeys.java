package org.imgedge.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Refuses a key or an {@code IMGEDGE_*} variable the service does not read: a misspelt one would
 * otherwise be ignored without a word and the default used. The known keys are the ones in the
 * defaults file ({@code conf/config.json} has every key, null where there is no default), so the list
 * cannot drift from the file the records read.
 */
final class KnownKeys {

  /** Sections whose member names are the operator's own; the owning record checks what is inside. */
  private static final Set<String> FREE_FORM = Set.of("presets");

  private final JsonObject defaults;
  private final List<String> leaves = new ArrayList<>();

  KnownKeys(JsonObject defaults) {
    this.defaults = defaults;
    collect(defaults, "");
  }

  private void collect(JsonObject section, String prefix) {
    for (String name : section.fieldNames()) {
      String key = prefix + name;
      Object value = section.getValue(name);
      if (value instanceof JsonObject child && !FREE_FORM.contains(key)) {
        collect(child, key + ".");
      } else {
        leaves.add(key);
      }
    }
  }

  /** Every key of the defaults that holds a value (or a free-form section), with dots. */
  List<String> leaves() {
    return List.copyOf(leaves);
  }

  void checkKeys(JsonObject merged) {
    check(merged, defaults, "");
  }

  private void check(JsonObject section, JsonObject known, String prefix) {
    for (String name : section.fieldNames()) {
      String key = prefix + name;
      if (!known.containsKey(name)) {
        throw ConfigException.unknownKey(key, leaves);
      }
      Object value = section.getValue(name);
      if (!FREE_FORM.contains(key) && value instanceof JsonObject child && known.getValue(name) instanceof JsonObject knownChild) {
        check(child, knownChild, key + ".");
      }
    }
  }

  /** @return {@code env} unchanged, once every {@code IMGEDGE_*} in it is a known variable or its {@code _FILE} form */
  static Map<String, String> checkVariables(Map<String, String> env) {
    List<String> known = new ArrayList<>();
    for (String name : ConfigLoader.ENV.keySet()) {
      known.add(name);
      known.add(name + EnvFiles.SUFFIX);
    }
    env.keySet().stream().filter(n -> n.startsWith("IMGEDGE_")).sorted().forEach(name -> {
      if (!ConfigLoader.ENV.containsKey(name) && !(name.endsWith(EnvFiles.SUFFIX)
          && ConfigLoader.ENV.containsKey(name.substring(0, name.length() - EnvFiles.SUFFIX.length())))) {
        throw new ConfigException("unknown environment variable " + name + suggestion(name, known));
      }
    });
    return env;
  }

  /**
   * The closest known name by edit distance, ignoring case; a name cut short ({@code redis.ttl} for
   * {@code redis.ttlSeconds}) counts as one edit, since that is the usual slip.
   */
  static String suggestion(String unknown, Collection<String> known) {
    String u = unknown.toLowerCase(Locale.ROOT);
    LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
    return known.stream()
        .min(Comparator.<String>comparingInt(k -> {
          String c = k.toLowerCase(Locale.ROOT);
          return c.startsWith(u) || u.startsWith(c) ? Math.min(1, distance.apply(u, c)) : distance.apply(u, c);
        }).thenComparingInt(String::length))
        .map(k -> " (did you mean " + k + "?)")
        .orElse("");
  }
}
