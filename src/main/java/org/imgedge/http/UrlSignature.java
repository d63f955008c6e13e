package org.imgedge.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks variant URLs: {@code sig} is the unpadded base64url HMAC-SHA256, under a signing
 * key, of the URL's path alone ({@code /v1/images/{id}/{preset}.jpg}).
 *
 * <p>The path alone, not the query: the signature is then a pure function of (key, id, preset), so a
 * URL never changes while its image lives and a CDN's cache key stays stable; the by-name URL and
 * the {@code ?v=} URL carry the same signature. Leaving {@code v} out grants nothing more: it only
 * chooses the Cache-Control of the same bytes.
 *
 * <p>New URLs are signed with the first (newest) key; a signature under any configured key is
 * accepted, so URLs handed out before a key rotation keep working until the old key is removed.
 */
public final class UrlSignature {

  private static final String ALGORITHM = "HmacSHA256";
  private static final UrlSignature NONE = new UrlSignature(List.of());

  private final List<SecretKeySpec> keys;

  private UrlSignature(List<SecretKeySpec> keys) {
    this.keys = keys;
  }

  /** @param secrets newest first; empty turns signing off */
  public static UrlSignature create(List<String> secrets) {
    return secrets.isEmpty() ? NONE : new UrlSignature(secrets.stream()
        .map(s -> new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), ALGORITHM)).toList());
  }

  public boolean enabled() {
    return !keys.isEmpty();
  }

  /** @return the {@code sig} value for this path, under the newest key */
  public String sign(String path) {
    return sign(keys.get(0), path);
  }

  /** @return the {@code sig} value for this path under each key, newest first: every one a URL may carry */
  public List<String> signatures(String path) {
    return keys.stream().map(key -> sign(key, path)).toList();
  }

  /**
   * Compares in constant time against the signature under each key. The encoded text is compared, not
   * decoded bytes, so only the one canonical spelling of a signature is accepted.
   */
  public boolean verify(String path, String sig) {
    if (!enabled()) {
      return true;
    }
    if (sig == null) {
      return false;
    }
    byte[] given = sig.getBytes(StandardCharsets.US_ASCII);
    boolean ok = false;
    for (SecretKeySpec key : keys) {
      // no early exit: the time taken does not tell which key matched
      ok |= MessageDigest.isEqual(given, sign(key, path).getBytes(StandardCharsets.US_ASCII));
    }
    return ok;
  }

  private static String sign(SecretKeySpec key, String path) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM); // not thread-safe, and cheap to make: one per call
      mac.init(key);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(path.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
    }
  }
}
