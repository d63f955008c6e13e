package org.imgedge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.imgedge.testing.GeneratedImages;
import org.imgedge.testing.Problems;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * JWTs from an app's login, minted by nimbus-jose-jwt (an implementation independent of the one under test):
 * an OIDC-style provider whose JWKS a test server serves (RS256, iss, aud, roles), and a djangorestframework-
 * simplejwt-style app (HS256 secret in a file, the owner in {@code user_id}).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class JwtAuthTest {

  private static final String ISSUER = "https://login.example.test/realms/app";
  private static final String AUDIENCE = "imgedge";
  /** 48 bytes, as a Django SECRET_KEY is 50 characters: simplejwt signs with it. */
  private static final String SECRET = "django-insecure-7f3kq9z!w2m#x8v@p4r6t1y5u0i3o9a";

  private static final Vertx vertx = Vertx.vertx();
  private static HttpServer jwksServer;
  /** The set the provider publishes now; the test rotates it. */
  private static final AtomicReference<JWKSet> published = new AtomicReference<>();
  /** When the service fetched the JWKS, in nanoTime. */
  private static final List<Long> fetches = new CopyOnWriteArrayList<>();
  /** When set, the provider answers 503, as one that is down. */
  private static final java.util.concurrent.atomic.AtomicBoolean providerDown = new java.util.concurrent.atomic.AtomicBoolean();
  private static RSAKey k1;
  private static RSAKey k2;
  /** simplejwt with ALGORITHM RS256: its VERIFYING_KEY given as a static PEM. */
  private static RSAKey staticKey;
  private static String staticPem;
  private static TestApp oidc;
  private static TestApp simplejwt;
  private static Path secretFile;

  @BeforeAll
  static void start() throws Exception {
    k1 = new RSAKeyGenerator(2048).keyID("k1").generate();
    k2 = new RSAKeyGenerator(2048).keyID("k2").generate();
    published.set(new JWKSet(List.of(k1.toPublicJWK())));
    jwksServer = await(vertx.createHttpServer().requestHandler(req -> {
      fetches.add(System.nanoTime());
      if (providerDown.get()) {
        req.response().setStatusCode(503).end();
        return;
      }
      req.response().putHeader("Content-Type", "application/json").end(published.get().toString());
    }).listen(0, "127.0.0.1"));
    oidc = await(TestApp.start(vertx, new JsonObject().put("auth", new JsonObject().put("jwt", new JsonObject()
        .put("jwksUrl", "http://127.0.0.1:" + jwksServer.actualPort() + "/realms/app/protocol/openid-connect/certs")
        .put("issuer", ISSUER).put("audience", AUDIENCE).put("roleClaim", "roles")))));
    secretFile = Files.createTempFile("jwt-secret", ".txt");
    Files.writeString(secretFile, SECRET + "\n");
    staticKey = new RSAKeyGenerator(2048).generate();
    staticPem = "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(staticKey.toRSAPublicKey().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    // the HS256 secret and a static RS256 key side by side, as during a move from one to the other
    simplejwt = await(TestApp.start(vertx, new JsonObject().put("auth", new JsonObject().put("jwt", new JsonObject()
        .put("secretFile", secretFile.toString()).put("ownerClaim", "user_id")
        .put("publicKeys", new io.vertx.core.json.JsonArray().add(new JsonObject().put("alg", "RS256").put("pem", staticPem)))))));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (oidc != null) {
        await(oidc.close());
      }
      if (simplejwt != null) {
        await(simplejwt.close());
      }
    } finally {
      Files.deleteIfExists(secretFile);
      await(vertx.close());
    }
  }

  @Test
  @DisplayName("an OIDC access token (sub, iss, aud, kid from the JWKS) uploads as its subject, and the subject alone reads it")
  void oidcToken() throws Exception {
    String carol = oidcToken(k1, claims("carol").build());
    HttpResponse<Buffer> created = await(oidc.uploadRaw(carol, GeneratedImages.png(1), "image/png"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String id = created.bodyAsJsonObject().getString("id");
    assertThat(await(oidc.get("/v1/images/" + id, carol).send()).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> dave = await(oidc.get("/v1/images/" + id, oidcToken(k1, claims("dave").build())).send());
    Problems.assertProblem(dave, 404);
    // the role claim: an admin token reads any image, a worker token may not upload
    String admin = oidcToken(k1, claims("erin").claim("roles", List.of("user", "admin")).build());
    assertThat(await(oidc.get("/v1/images/" + id, admin).send()).statusCode()).isEqualTo(200);
    String worker = oidcToken(k1, claims("frank").claim("roles", "worker").build());
    Problems.assertProblem(await(oidc.uploadRaw(worker, GeneratedImages.png(2), "image/png")), 403);
    // API keys keep working beside the tokens
    assertThat(await(oidc.get("/v1/images", TestApp.ALICE).send()).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("key rotation: a new kid makes the service fetch the JWKS again and take it; a key dropped from the set is refused")
  void rotation() throws Exception {
    String oldToken = oidcToken(k1, claims("carol").build());
    assertThat(await(oidc.get("/v1/images", oldToken).send()).statusCode()).isEqualTo(200);

    published.set(new JWKSet(List.<JWK>of(k1.toPublicJWK(), k2.toPublicJWK())));
    int before = fetches.size();
    HttpResponse<Buffer> rotated = await(oidc.get("/v1/images", oidcToken(k2, claims("carol").build())).send());
    assertThat(rotated.statusCode()).as(rotated.bodyAsString()).isEqualTo(200);
    assertThat(fetches.size()).as("JWKS fetches for the new kid").isEqualTo(before + 1);

    // the provider retires k1; the service learns of it with the next unknown kid
    RSAKey k3 = new RSAKeyGenerator(2048).keyID("k3").generate();
    published.set(new JWKSet(List.<JWK>of(k2.toPublicJWK(), k3.toPublicJWK())));
    assertThat(await(oidc.get("/v1/images", oidcToken(k3, claims("carol").build())).send()).statusCode()).isEqualTo(200);
    assertInvalidToken(await(oidc.get("/v1/images", oldToken).send()));
    published.set(new JWKSet(List.<JWK>of(k1.toPublicJWK(), k2.toPublicJWK())));
  }

  @Test
  @DisplayName("each bad token is a 401 with WWW-Authenticate: Bearer error=\"invalid_token\" and a problem")
  void badTokens() throws Exception {
    Instant now = Instant.now();
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("expired", oidcToken(k1, claims("carol").expirationTime(Date.from(now.minusSeconds(120))).build()));
    cases.put("not yet valid", oidcToken(k1, claims("carol").notBeforeTime(Date.from(now.plusSeconds(300))).build()));
    cases.put("wrong audience", oidcToken(k1, claims("carol").audience("another-service").build()));
    cases.put("wrong issuer", oidcToken(k1, claims("carol").issuer("https://evil.example.test").build()));
    cases.put("no expiry", oidcToken(k1, claims("carol").expirationTime(null).build()));
    cases.put("no subject", oidcToken(k1, claims("carol").subject(null).build()));
    cases.put("alg none", new PlainJWT(claims("carol").build()).serialize());
    // HS256 keyed with the RSA public key the JWKS publishes: the classic algorithm confusion
    SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims("carol").build());
    confused.sign(new MACSigner(k1.toRSAPublicKey().getEncoded()));
    cases.put("HS/RS confusion", confused.serialize());
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
    cases.put("signed by another key with a known kid", oidcToken(stranger, claims("carol").build()));
    RSAKey unknown = new RSAKeyGenerator(2048).keyID("never-published").generate();
    cases.put("unknown kid after a refresh", oidcToken(unknown, claims("carol").build()));
    String good = oidcToken(k1, claims("carol").build());
    cases.put("tampered payload", good.substring(0, good.indexOf('.') + 1) + "eyJzdWIiOiJhZG1pbiJ9" + good.substring(good.lastIndexOf('.')));

    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<Buffer> r = await(oidc.get("/v1/images", c.getValue()).send());
      assertThat(r.statusCode()).as(c.getKey() + ": " + r.bodyAsString()).isEqualTo(401);
      assertInvalidToken(r);
    }
    // and an upload with a bad token: refused before its body is read
    Problems.assertProblem(await(oidc.uploadRaw(cases.get("expired"), GeneratedImages.png(3), "image/png")), 401);
  }

  @Test
  @DisplayName("a provider that is down: a token with a key not fetched yet gets 503 with Retry-After; known keys still work")
  void providerDown() throws Exception {
    providerDown.set(true);
    try {
      RSAKey fresh = new RSAKeyGenerator(2048).keyID("k-while-down").generate();
      HttpResponse<Buffer> r = await(oidc.get("/v1/images", oidcToken(fresh, claims("carol").build())).send());
      assertThat(Problems.assertProblem(r, 503).getString("type")).isEqualTo("urn:imgedge:error:unavailable");
      assertThat(r.getHeader("Retry-After")).isNotNull();
      assertThat(await(oidc.get("/v1/images", oidcToken(k1, claims("carol").build())).send()).statusCode()).isEqualTo(200);
    } finally {
      providerDown.set(false);
    }
  }

  @Test
  @DisplayName("no credential keeps the plain 401: WWW-Authenticate: Bearer, without an error code")
  void noCredential() throws Exception {
    HttpResponse<Buffer> r = await(oidc.get("/v1/images", null).send());
    JsonObject problem = Problems.assertProblem(r, 401);
    assertThat(r.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(problem.getString("type")).isEqualTo("urn:imgedge:error:unauthorized");
  }

  @Test
  @DisplayName("a burst of tokens with made-up kids makes the service fetch the JWKS at most once a second")
  void fetchRateUnderBurst() throws Exception {
    int before = fetches.size();
    long start = System.nanoTime();
    RSAKey made = new RSAKeyGenerator(2048).generate();
    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 20; i++) {
        burst.add(oidc.get("/v1/images", oidcToken(made, UUID.randomUUID().toString(), claims("mallory").build())).send());
      }
      await(Future.join(new ArrayList<>(burst)));
    }
    for (Future<HttpResponse<Buffer>> r : burst) {
      assertInvalidToken(r.result());
    }
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    List<Long> during = fetches.subList(before, fetches.size());
    assertThat(during).as("at least one fetch looked for the new kids").isNotEmpty();
    System.out.printf("JWKS fetches during a burst of 60 unknown kids: %d in %d ms%n", during.size(), elapsedMillis);
    assertThat((long) during.size()).as("fetches in %d ms", elapsedMillis).isLessThanOrEqualTo(1 + elapsedMillis / 1000 + 1);
    for (int i = 1; i < during.size(); i++) {
      // the service starts fetches >= 1 s apart; what arrives here may differ by the network's jitter
      assertThat(TimeUnit.NANOSECONDS.toMillis(during.get(i) - during.get(i - 1))).as("ms between fetches").isGreaterThanOrEqualTo(900);
    }
  }

  @Test
  @DisplayName("a simplejwt access token (HS256, user_id) owns its images; another user's image is 404")
  void simplejwtToken() throws Exception {
    String user42 = simplejwtToken(42);
    HttpResponse<Buffer> created = await(simplejwt.uploadRaw(user42, GeneratedImages.png(10), "image/png"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String id = created.bodyAsJsonObject().getString("id");
    assertThat(await(simplejwt.get("/v1/images/" + id, user42).send()).statusCode()).isEqualTo(200);
    JsonObject list = await(simplejwt.get("/v1/images", user42).send()).bodyAsJsonObject();
    assertThat(list.getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("id"))).containsExactly(id);

    String user43 = simplejwtToken(43);
    Problems.assertProblem(await(simplejwt.get("/v1/images/" + id, user43).send()), 404);
    Problems.assertProblem(await(simplejwt.request(HttpMethod.DELETE, "/v1/images/" + id, user43).send()), 404);
    assertThat(await(simplejwt.get("/v1/images", user43).send()).bodyAsJsonObject().getJsonArray("items")).isEmpty();

    // simplejwt's refresh token: same key, same user_id, but not a credential for an API
    SignedJWT refresh = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
        new JWTClaimsSet.Builder(simplejwtClaims(42)).claim("token_type", "refresh").build());
    refresh.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    assertInvalidToken(await(simplejwt.get("/v1/images", refresh.serialize()).send()));
    // signed with another secret, or an RS256 token where only the secret is configured: invalid
    SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), simplejwtClaims(42));
    forged.sign(new MACSigner("another-secret-that-is-long-enough-for-hs256!!".getBytes(StandardCharsets.UTF_8)));
    assertInvalidToken(await(simplejwt.get("/v1/images", forged.serialize()).send()));
    assertInvalidToken(await(simplejwt.get("/v1/images", oidcToken(k1, claims("42").build())).send()));

    // RS256 with the static public key: the same user 42
    SignedJWT rs = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), simplejwtClaims(42));
    rs.sign(new RSASSASigner(staticKey));
    assertThat(await(simplejwt.get("/v1/images/" + id, rs.serialize()).send()).statusCode()).isEqualTo(200);
    // HS256 keyed with that public key's PEM text, which an attacker can read: not the configured secret
    SignedJWT confused = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), simplejwtClaims(42));
    confused.sign(new MACSigner(staticPem.getBytes(StandardCharsets.US_ASCII)));
    assertInvalidToken(await(simplejwt.get("/v1/images", confused.serialize()).send()));
  }

  private static void assertInvalidToken(HttpResponse<Buffer> r) {
    JsonObject problem = Problems.assertProblem(r, 401);
    assertThat(r.getHeader("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
    assertThat(problem.getString("type")).isEqualTo("urn:imgedge:error:invalid-token");
  }

  /** What an OIDC provider's access token carries, valid for five minutes. */
  private static JWTClaimsSet.Builder claims(String subject) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(ISSUER).audience(List.of(AUDIENCE, "account")).subject(subject)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString());
  }

  private static String oidcToken(RSAKey key, JWTClaimsSet claims) throws Exception {
    return oidcToken(key, key.getKeyID(), claims);
  }

  private static String oidcToken(RSAKey key, String kid, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  /** The claims of a simplejwt access token: token_type, exp, iat, jti and the user's primary key as a number. */
  private static JWTClaimsSet simplejwtClaims(long userId) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().claim("token_type", "access").expirationTime(Date.from(now.plusSeconds(300)))
        .issueTime(Date.from(now)).jwtID(UUID.randomUUID().toString().replace("-", "")).claim("user_id", userId).build();
  }

  private static String simplejwtToken(long userId) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), simplejwtClaims(userId));
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
