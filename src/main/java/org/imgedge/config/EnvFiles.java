package org.imgedge.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The Docker secrets convention: {@code IMGEDGE_X_FILE=/run/secrets/x} sets {@code IMGEDGE_X} to the
 * file's content, so a secret stays out of the environment, {@code ps} and {@code docker inspect}.
 * Messages name the variable and the path, never the content.
 */
final class EnvFiles {

  static final String SUFFIX = "_FILE";

  private EnvFiles() {}

  /** @return {@code env} with each {@code IMGEDGE_X_FILE} of a known variable replaced by {@code IMGEDGE_X} */
  static Map<String, String> resolve(Map<String, String> env) {
    Map<String, String> resolved = new HashMap<>(env);
    for (String name : ConfigLoader.ENV.keySet()) {
      String path = env.get(name + SUFFIX);
      if (path == null) {
        continue;
      }
      if (env.containsKey(name)) {
        throw new ConfigException("environment variables " + name + " and " + name + SUFFIX + " are both set; set one of them");
      }
      String value;
      try {
        value = Files.readString(Path.of(path));
      } catch (IOException | RuntimeException e) {
        throw new ConfigException("environment variable " + name + SUFFIX + ": cannot read " + path + " ("
            + e.getClass().getSimpleName() + ")");
      }
      // One trailing newline is what an editor or `echo` leaves; anything more is the operator's.
      if (value.endsWith("\r\n")) {
        value = value.substring(0, value.length() - 2);
      } else if (value.endsWith("\n")) {
        value = value.substring(0, value.length() - 1);
      }
      resolved.remove(name + SUFFIX);
      resolved.put(name, value);
    }
    return resolved;
  }
}
