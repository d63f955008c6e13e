package org.imgedge.auth;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the JWTs of {@code auth.jwt} with vertx-auth-jwt, and turns a good one into a {@link Principal}.
 *
 * <p>vertx-auth-jwt checks the signature, {@code iss} and {@code aud}; the times are checked here, so that
 * a token without {@code exp} is refused (vertx-auth-jwt would take it as valid forever) and the answer can
 * say which time was wrong. The header is read first: {@code alg} none is refused before the library sees
 * it, because a JWTAuth with no key at all (a JWKS that failed to load) would take an unsigned token.
 *
 * <p>JWKS: fetched at start, and again when a token names a {@code kid} the set does not have (the provider
 * rotated its keys), at most once a second however many such tokens arrive: tokens that come within the
 * second wait for the one fetch, so a burst of made-up key ids costs the provider one request per second.
 * A key removed from the set stops verifying once the set is fetched again.
 */
final class JwtVerifier {

  private static final Logger log = LoggerFactory.getLogger(JwtVerifier.class);
  private static final long MIN_FETCH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long FETCH_TIMEOUT_MILLIS = 5_000;

  /** The keys in use: rebuilt whole when the JWKS changes, so a request sees one set or the other. */
  private record Keys(JWTAuth auth, Set<String> kids) {}

  private final Vertx vertx;
  private final JwtConfig config;
  private final HttpClient http;
  private volatile Keys keys;
  /** The fetch under way and when the last began; guarded by fetchLock. */
  private Future<Keys> fetching;
  private long lastFetchNanos;
  private final Object fetchLock = new Object();

  private JwtVerifier(Vertx vertx, JwtConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.http = config.jwksUrl() == null ? null
        : vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) FETCH_TIMEOUT_MILLIS));
    this.keys = build(List.of());
    this.lastFetchNanos = System.nanoTime() - MIN_FETCH_INTERVAL_NANOS;
  }

  /**
   * A verifier that has fetched the JWKS once. A provider that cannot be reached at start is logged and
   * fetched again by the first token that needs it: API keys keep working meanwhile.
   */
  static Future<JwtVerifier> start(Vertx vertx, JwtConfig config) {
    JwtVerifier verifier = new JwtVerifier(vertx, config);
    if (config.jwksUrl() == null) {
      return Future.succeededFuture(verifier);
    }
    return verifier.refresh()
        .onSuccess(k -> log.info("JWT keys from {}: {} key(s)", config.jwksUrl(), k.kids().size()))
        .onFailure(e -> log.warn("could not fetch the JWKS at {} ({}); tokens will be refused until it can be fetched",
            config.jwksUrl(), e.getMessage()))
        .transform(ar -> Future.succeededFuture(verifier));
  }

  Future<Principal> verify(String token) {
    String[] parts = token.split("\\.", -1);
    JsonObject header;
    try {
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      return Future.failedFuture(invalid("The token is not a well-formed JWT."));
    }
    Object alg = header.getValue("alg");
    if (!(alg instanceof String a) || a.equalsIgnoreCase("none") || parts.length != 3 || parts[2].isEmpty()) {
      return Future.failedFuture(invalid("The token is not signed."));
    }
    if (!a.startsWith("HS") && !JwtConfig.ASYMMETRIC.contains(a)) {
      return Future.failedFuture(invalid("The token's algorithm " + a + " is not accepted."));
    }
    Object kid = header.getValue("kid");
    Keys current = keys;
    if (config.jwksUrl() != null && kid instanceof String k && !current.kids().contains(k)) {
      Context context = Vertx.currentContext();
      Future<Principal> checked = refresh()
          .recover(e -> Future.failedFuture(AppException.unavailable("The token's signing keys could not be fetched.")))
          .compose(fresh -> fresh.kids().contains(k) ? check(fresh, token)
              : Future.failedFuture(invalid("The token was signed with a key this service does not know.")));
      return onContext(checked, context);
    }
    return check(current, token);
  }

  private Future<Principal> check(Keys keys, String token) {
    Future<io.vertx.ext.auth.User> verified;
    try {
      verified = keys.auth().authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      // a well-signed token with claims of the wrong type (an `aud` object, a numeric `iss`) makes the
      // library throw rather than fail its future: still a token that does not verify, never a 500
      verified = Future.failedFuture(e);
    }
    return verified
        .recover(e -> Future.failedFuture(invalid(reason(e))))
        .compose(user -> {
          JsonObject claims = user.attributes().getJsonObject("accessToken");
          try {
            return Future.succeededFuture(principal(claims));
          } catch (AppException e) {
            return Future.failedFuture(e);
          }
        });
  }

  /** What vertx-auth-jwt's failure means to the caller; its own message may name keys, so it is not passed on. */
  private static String reason(Throwable e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("audience")) {
      return "The token is not meant for this service (aud).";
    }
    if (message.contains("issuer")) {
      return "The token was not issued by the configured issuer (iss).";
    }
    if (e instanceof io.vertx.ext.auth.NoSuchKeyIdException) {
      return "No key of this service verifies the token's algorithm and key id.";
    }
    return "The token's signature does not verify.";
  }

  private Principal principal(JsonObject claims) {
    long now = System.currentTimeMillis() / 1000;
    int skew = config.clockSkewSeconds();
    Long exp = seconds(claims, "exp");
    if (exp == null) {
      throw invalid("The token has no expiry (exp).");
    }
    if (now - skew >= exp) {
      throw invalid("The token has expired.");
    }
    Long nbf = seconds(claims, "nbf");
    Long iat = seconds(claims, "iat");
    if ((nbf != null && nbf > now + skew) || (iat != null && iat > now + skew)) {
      throw invalid("The token is not valid yet (nbf/iat).");
    }
    Object type = claims.getValue("token_type");
    if (type != null && !"access".equals(type)) {
      // simplejwt signs its refresh tokens with the same key and the same user_id: only the access token is a credential here
      throw invalid("Only access tokens are accepted, not a " + type + " token.");
    }
    Object owner = claims.getValue(config.ownerClaim());
    // simplejwt's user_id is a number; the owner is its decimal text, the same as an API key's subject "42"
    String subject = owner instanceof String s ? s : owner instanceof Number n && n.doubleValue() == n.longValue()
        ? Long.toString(n.longValue()) : null;
    if (subject == null || subject.isBlank()) {
      throw invalid("The token has no " + config.ownerClaim() + " claim to own images by.");
    }
    return new Principal(subject, role(claims));
  }

  /** The highest role the claim names; a missing claim, or one naming none of ours, is a client. */
  private Role role(JsonObject claims) {
    if (config.roleClaim() == null) {
      return Role.CLIENT;
    }
    Object value = claims.getValue(config.roleClaim());
    List<Object> names = value instanceof JsonArray a ? a.getList() : value == null ? List.of() : List.of(value);
    Role best = Role.CLIENT;
    for (Object name : names) {
      for (Role r : Role.values()) {
        if (r.name().equalsIgnoreCase(String.valueOf(name)) && r.ordinal() > best.ordinal()) {
          best = r;
        }
      }
    }
    return best;
  }

  private static Long seconds(JsonObject claims, String name) {
    Object v = claims.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n)) {
      throw invalid("The token's " + name + " is not a number.");
    }
    return n.longValue();
  }

  static AppException invalid(String detail) {
    return AppException.of(ProblemType.INVALID_TOKEN, detail);
  }

  /** The one fetch under way, or a new one no sooner than a second after the last began. */
  private Future<Keys> refresh() {
    synchronized (fetchLock) {
      if (fetching != null) {
        return fetching;
      }
      long wait = lastFetchNanos + MIN_FETCH_INTERVAL_NANOS - System.nanoTime();
      Future<Void> turn = wait <= 0 ? Future.succeededFuture() : vertx.timer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait))).mapEmpty();
      Future<Keys> next = turn.compose(v -> {
        synchronized (fetchLock) {
          lastFetchNanos = System.nanoTime();
        }
        return fetch();
      });
      fetching = next;
      next.onComplete(ar -> {
        synchronized (fetchLock) {
          fetching = null;
        }
      });
      return next;
    }
  }

  private Future<Keys> fetch() {
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(config.jwksUrl()))
        .compose(request -> request.send())
        .compose(response -> response.statusCode() == 200 ? response.body()
            : Future.failedFuture("the JWKS answered " + response.statusCode()))
        .timeout(FETCH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .map(body -> {
          JsonArray set = body.toJsonObject().getJsonArray("keys");
          List<JsonObject> jwks = new ArrayList<>();
          for (int i = 0; set != null && i < set.size(); i++) {
            JsonObject jwk = set.getJsonObject(i);
            if (!"enc".equals(jwk.getString("use"))) {
              jwks.add(jwk);
            }
          }
          Keys built = build(jwks);
          keys = built;
          return built;
        });
  }

  private Keys build(List<JsonObject> jwks) {
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions()
        .setIgnoreExpiration(true) // checked in principal(), which also requires exp
        .setIssuer(config.issuer())
        .setAudience(config.audience() == null ? null : List.of(config.audience())));
    for (JwtConfig.PublicKey k : config.publicKeys()) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(k.alg()).setBuffer(k.pem()));
    }
    if (config.secret() != null) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.secret()));
    }
    Set<String> kids = new HashSet<>();
    for (JsonObject jwk : jwks) {
      if (jwk.getValue("kid") instanceof String kid) {
        kids.add(kid);
      }
      if (jwk.getValue("kty") instanceof String kty && !kty.equals("oct")) {
        // a symmetric key in a public set would let anyone who reads the set sign tokens
        options.addJwk(jwk);
      }
    }
    return new Keys(JWTAuth.create(vertx, options), Set.copyOf(kids));
  }

  /** Continues on the request's event loop, whichever loop completed the shared JWKS fetch. */
  private static <T> Future<T> onContext(Future<T> future, Context context) {
    if (context == null) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> context.runOnContext(v -> {
      if (ar.succeeded()) {
        promise.complete(ar.result());
      } else {
        promise.fail(ar.cause());
      }
    }));
    return promise.future();
  }

  void close() {
    if (http != null) {
      http.close();
    }
  }
}
