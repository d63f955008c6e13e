package org.imgedge.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;

/**
 * Who a bearer credential stands for: an API key (workers, admins, scripts) or a JWT from the app's login.
 * They are told apart by shape: a JWT is three base64url parts joined by two dots, and its header is a
 * JSON object, so it starts with {@code eyJ}; the keys this service makes are base64url without dots.
 * Anything else is looked up as a key, by its hash as before.
 */
public final class Authenticator {

  private final ApiKeys keys;
  private final JwtVerifier jwt;

  private Authenticator(ApiKeys keys, JwtVerifier jwt) {
    this.keys = keys;
    this.jwt = jwt;
  }

  /** API keys only. */
  public static Authenticator keys(ApiKeys keys) {
    return new Authenticator(keys, null);
  }

  /** API keys, and JWTs when {@code jwt} names a key source (the JWKS is fetched once before this completes). */
  public static Future<Authenticator> create(Vertx vertx, ApiKeys keys, JwtConfig jwt) {
    if (!jwt.enabled()) {
      return Future.succeededFuture(keys(keys));
    }
    return JwtVerifier.start(vertx, jwt).map(verifier -> new Authenticator(keys, verifier));
  }

  /**
   * @return the caller; failed with {@link ProblemType#UNAUTHORIZED} for an unknown key, and
   *     {@link ProblemType#INVALID_TOKEN} for a JWT that does not verify. Already complete for a key.
   */
  public Future<Principal> authenticate(String credential) {
    if (jwt != null && looksLikeJwt(credential)) {
      return jwt.verify(credential);
    }
    Optional<Principal> principal = keys.find(credential);
    return principal.isPresent() ? Future.succeededFuture(principal.get())
        : Future.failedFuture(AppException.of(ProblemType.UNAUTHORIZED, "Send a valid API key or token as 'Authorization: Bearer <credential>'."));
  }

  static boolean looksLikeJwt(String credential) {
    int first = credential.indexOf('.');
    int second = first < 0 ? -1 : credential.indexOf('.', first + 1);
    return credential.startsWith("eyJ") && second > 0 && credential.indexOf('.', second + 1) < 0;
  }

  public void close() {
    if (jwt != null) {
      jwt.close();
    }
  }
}
