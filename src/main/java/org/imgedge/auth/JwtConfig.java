package org.imgedge.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.imgedge.config.ConfigException;
import org.imgedge.config.Json;

/**
 * {@code auth.jwt}: the tokens an app's own login hands its users. No key source means JWTs are off and
 * only API keys are taken. The sources can be combined (an HS256 secret during a move to RS256, say):
 * each key verifies only tokens of its own algorithm, so an RSA public key is never taken for an HMAC secret.
 *
 * @param jwksUrl          the provider's JWK Set, fetched at start and again when a token names a key id not in it
 * @param publicKeys       static public keys, PEM, each with the algorithm it verifies
 * @param secret           the HS256 secret (from {@code secretFile} or {@code secret}); never printed
 * @param issuer           the {@code iss} every token must carry, or null for any
 * @param audience         the {@code aud} every token must include, or null for any
 * @param ownerClaim       the claim that names the owner of what the token uploads ({@code sub}; simplejwt: {@code user_id})
 * @param roleClaim        a claim holding client, worker or admin (a string or a list), or null: every token is a client
 * @param clockSkewSeconds how far exp, nbf and iat may be off, for clocks that are not quite in step
 */
public record JwtConfig(String jwksUrl, List<PublicKey> publicKeys, String secret, String issuer, String audience,
    String ownerClaim, String roleClaim, int clockSkewSeconds) {

  /** One static public key: {@code {"alg": "RS256", "pem": "-----BEGIN PUBLIC KEY-----..."}}. */
  public record PublicKey(String alg, String pem) {}

  static final Set<String> ASYMMETRIC = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
  /** RFC 7518 §3.2: an HS256 key shall be at least as long as the hash, 256 bits. */
  private static final int MIN_SECRET_BYTES = 32;

  public static JwtConfig from(JsonObject root) {
    Json j = new Json(root, "auth").section("jwt");
    String jwksUrl = j.string("jwksUrl", null);
    if (jwksUrl != null && !(jwksUrl.startsWith("https://") || jwksUrl.startsWith("http://"))) {
      throw new ConfigException("auth.jwt.jwksUrl", "must be null or an http(s):// URL");
    }
    if (jwksUrl != null) {
      URI uri;
      try {
        uri = URI.create(jwksUrl);
        uri.toURL();
      } catch (RuntimeException | java.net.MalformedURLException e) {
        throw new ConfigException("auth.jwt.jwksUrl", "is not a valid URL");
      }
      // whoever can change the keys in transit can sign tokens for any user: plain HTTP only on this host
      if (jwksUrl.startsWith("http://") && !isLoopback(uri.getHost())) {
        throw new ConfigException("auth.jwt.jwksUrl", "must be https:// (plain http:// only for localhost)");
      }
    }
    String secret = secret(j);
    String audience = j.string("audience", null);
    return new JwtConfig(jwksUrl, publicKeys(j.raw().getValue("publicKeys")), secret, j.string("issuer", null), audience,
        nonBlank(j.string("ownerClaim", "sub"), "auth.jwt.ownerClaim"), j.string("roleClaim", null),
        j.integer("clockSkewSeconds", 30, 0, 3600));
  }

  private static boolean isLoopback(String host) {
    return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"));
  }

  /** Whether any key source is configured; without one, JWTs are not accepted. */
  public boolean enabled() {
    return jwksUrl != null || !publicKeys.isEmpty() || secret != null;
  }

  @Override
  public String toString() {
    return "JwtConfig[jwksUrl=" + jwksUrl + ", publicKeys=" + publicKeys.size() + ", secret=" + (secret == null ? "none" : "set")
        + ", issuer=" + issuer + ", audience=" + audience + ", ownerClaim=" + ownerClaim + ", roleClaim=" + roleClaim
        + ", clockSkewSeconds=" + clockSkewSeconds + "]";
  }

  /** {@code secretFile} wins over {@code secret}: a file keeps the secret out of the environment and of {@code ps}. */
  private static String secret(Json j) {
    String file = j.string("secretFile", null);
    String value;
    String key;
    if (file != null) {
      key = "auth.jwt.secretFile";
      try {
        value = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      } catch (IOException | RuntimeException e) {
        throw new ConfigException(key, "cannot be read (" + e.getClass().getSimpleName() + ")");
      }
    } else {
      key = "auth.jwt.secret";
      value = j.string("secret", null);
    }
    if (value == null) {
      return null;
    }
    // the message never repeats the secret
    if (value.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new ConfigException(key, "must be at least " + MIN_SECRET_BYTES + " bytes for HS256");
    }
    return value;
  }

  private static List<PublicKey> publicKeys(Object raw) {
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof JsonArray array)) {
      throw new ConfigException("auth.jwt.publicKeys", "must be a list of {alg, pem}");
    }
    List<PublicKey> keys = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String where = "auth.jwt.publicKeys[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject k) || !(k.getValue("pem") instanceof String pem)
          || !pem.contains("BEGIN PUBLIC KEY")) {
        throw new ConfigException(where, "must be an object {alg, pem} with a PEM public key");
      }
      String alg = k.getValue("alg") instanceof String a ? a : "RS256";
      if (!ASYMMETRIC.contains(alg)) {
        throw new ConfigException(where + ".alg", "must be one of " + new java.util.TreeSet<>(ASYMMETRIC));
      }
      keys.add(new PublicKey(alg, pem));
    }
    return List.copyOf(keys);
  }

  private static String nonBlank(String value, String key) {
    if (value.isBlank()) {
      throw new ConfigException(key, "must be a non-empty claim name");
    }
    return value;
  }
}
