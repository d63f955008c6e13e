package org.imgedge.auth;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.imgedge.support.Hashing;

/**
 * Looks keys up by their SHA-256, so that the time a lookup takes says nothing about how close a
 * guessed key came to a real one, and the secrets themselves are not kept in a map.
 */
public final class ApiKeys {

  private final Map<String, Principal> byHash = new HashMap<>();

  public ApiKeys(List<ApiKey> keys) {
    for (ApiKey k : keys) {
      byHash.put(hash(k.key()), new Principal(k.subject(), k.role()));
    }
  }

  public Optional<Principal> find(String presentedKey) {
    return Optional.ofNullable(byHash.get(hash(presentedKey)));
  }

  private static String hash(String key) {
    return Hashing.sha256(key.getBytes(StandardCharsets.UTF_8));
  }
}
