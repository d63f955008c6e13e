package org.imgedge.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.imgedge.config.ConfigException;
import org.imgedge.config.Json;

/** {@code auth.keys}: the API keys, empty for "generate a pair on first start"; {@code auth.jwt}: the app's tokens. */
public record AuthConfig(List<ApiKey> keys, JwtConfig jwt) {

  public static AuthConfig from(JsonObject root) {
    Json auth = new Json(root, "auth");
    Object raw = auth.raw().getValue("keys");
    if (raw == null) {
      return new AuthConfig(List.of(), JwtConfig.from(root));
    }
    if (!(raw instanceof JsonArray array)) {
      throw new ConfigException("auth.keys", "must be a list of {key, subject, role}");
    }
    List<ApiKey> keys = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String where = "auth.keys[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject k)) {
        throw new ConfigException(where, "must be an object {key, subject, role}");
      }
      keys.add(parseKey(k, where));
    }
    return new AuthConfig(List.copyOf(keys), JwtConfig.from(root));
  }

  /** The same keys in the shape the configuration takes them, for the generated key file. */
  public static JsonObject toJson(List<ApiKey> keys) {
    JsonArray array = new JsonArray();
    keys.forEach(k -> array.add(new JsonObject().put("key", k.key()).put("subject", k.subject()).put("role", k.role().name().toLowerCase())));
    return new JsonObject().put("keys", array);
  }

  private static ApiKey parseKey(JsonObject k, String where) {
    Json j = new Json(new JsonObject().put("k", k), "k");
    String key = j.string("key", null);
    String subject = j.string("subject", null);
    String role = j.string("role", null);
    // the message never repeats the key itself: it may be a real secret with a typo around it
    if (key == null || key.length() < 16) {
      throw new ConfigException(where + ".key", "must be a string of at least 16 characters");
    }
    if (subject == null || subject.isBlank()) {
      throw new ConfigException(where + ".subject", "must be a non-empty string");
    }
    if (role == null) {
      throw new ConfigException(where + ".role", "must be client, worker or admin");
    }
    return new ApiKey(key, subject, role(role, where));
  }

  private static Role role(String value, String where) {
    try {
      return Role.valueOf(value.toUpperCase());
    } catch (RuntimeException e) {
      throw new ConfigException(where + ".role", "must be client, worker or admin");
    }
  }
}
