package org.imgedge.config;

/** A configuration value that cannot be used; the message names the key and stops the start. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String key, String problem) {
    super("configuration key '" + key + "': " + problem, null, false, false);
  }
}
