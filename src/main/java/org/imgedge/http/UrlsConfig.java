package org.imgedge.http;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import org.imgedge.config.ConfigException;
import org.imgedge.config.Json;

/**
 * {@code urls.signingKeys}: secrets for signing variant URLs, newest first. Empty means variant URLs
 * are not signed. New URLs are signed with the first key; any listed key verifies, so a key can be
 * rotated in front of the old one without breaking URLs already handed out.
 */
public record UrlsConfig(List<String> signingKeys) {

  private static final int MIN_KEY_LENGTH = 16;

  public boolean signing() {
    return !signingKeys.isEmpty();
  }

  @Override
  public String toString() {
    return "UrlsConfig[signingKeys=" + signingKeys.size() + " (redacted)]";
  }

  public static UrlsConfig from(Json j) {
    Object raw = j.raw().getValue("signingKeys");
    if (raw == null) {
      return new UrlsConfig(List.of());
    }
    if (!(raw instanceof JsonArray array)) {
      throw new ConfigException("urls.signingKeys", "must be a list of secrets, newest first");
    }
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      // the message never repeats the value: it is a secret
      if (!(array.getValue(i) instanceof String key) || key.length() < MIN_KEY_LENGTH) {
        throw new ConfigException("urls.signingKeys[" + i + "]", "must be a string of at least " + MIN_KEY_LENGTH + " characters");
      }
      keys.add(key);
    }
    return new UrlsConfig(List.copyOf(keys));
  }
}
