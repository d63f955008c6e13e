package org.imgedge.logging;

import org.imgedge.config.ConfigException;
import org.imgedge.config.Json;

/** {@code logging.format}: {@code text} (one readable line per event) or {@code json} (one JSON object per line). */
public record LoggingConfig(boolean json) {

  public static LoggingConfig from(Json j) {
    String format = j.string("format", "text");
    return switch (format) {
      case "text" -> new LoggingConfig(false);
      case "json" -> new LoggingConfig(true);
      default -> throw new ConfigException("logging.format", "must be text or json, was " + format);
    };
  }
}
