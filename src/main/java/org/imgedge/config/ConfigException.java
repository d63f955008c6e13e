package org.imgedge.config;

import java.util.Collection;

/** A configuration value that cannot be used; the message names the key and stops the start. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String key, String problem) {
    this("configuration key '" + key + "': " + problem);
  }

  /** A key the service does not read, with the closest of {@code known} as a suggestion. */
  public static ConfigException unknownKey(String key, Collection<String> known) {
    return new ConfigException("unknown key " + key + KnownKeys.suggestion(key, known));
  }

  /** A mistake that is not about one key's value (an unknown key, a file that is not JSON): the whole line. */
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
