package org.imgedge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.imgedge.auth.JwtConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code auth.jwt} as an operator writes it: the secret from a file or the environment, and one line per mistake. */
class JwtConfigTest {

  private static final String SECRET = "a-signing-key-of-forty-characters-long!!";

  @Test
  @DisplayName("the IMGEDGE_AUTH_JWT_* variables set their keys; IMGEDGE_AUTH_JWT_SECRET_FILE is the file holding the secret, never printed")
  void fromEnvironment() throws Exception {
    Path file = Files.createTempFile("jwt", ".key");
    try {
      Files.writeString(file, SECRET + "\n");
      JsonObject root = ConfigLoader.fromEnv(EnvFiles.resolve(Map.of("IMGEDGE_AUTH_JWT_SECRET_FILE", file.toString(),
          "IMGEDGE_AUTH_JWT_OWNER_CLAIM", "user_id", "IMGEDGE_AUTH_JWT_CLOCK_SKEW_SECONDS", "5")));
      JwtConfig config = JwtConfig.from(root);
      assertThat(config.enabled()).isTrue();
      assertThat(config.secret()).isEqualTo(SECRET);
      assertThat(config.ownerClaim()).isEqualTo("user_id");
      assertThat(config.clockSkewSeconds()).isEqualTo(5);
      assertThat(config.toString()).doesNotContain(SECRET).contains("secret=set");
      assertThatThrownBy(() -> EnvFiles.resolve(Map.of("IMGEDGE_AUTH_JWT_SECRET_FILE", file.toString(),
          "IMGEDGE_AUTH_JWT_SECRET", "the-other-secret-given-twice-by-mistake")))
          .isInstanceOf(ConfigException.class)
          .hasMessage("environment variables IMGEDGE_AUTH_JWT_SECRET and IMGEDGE_AUTH_JWT_SECRET_FILE are both set; set one of them");
      assertThat(JwtConfig.from(jwt(new JsonObject().put("secretFile", file.toString()).put("secret", "the-other-secret-that-must-lose-to-the-file"))).secret())
          .as("in a config file, secretFile (a path) still wins over secret").isEqualTo(SECRET);
    } finally {
      Files.delete(file);
    }
    assertThat(JwtConfig.from(new JsonObject()).enabled()).as("nothing configured: API keys only").isFalse();
  }

  @Test
  @DisplayName("a short secret, a missing file, a bad URL or key stop the start with a line naming the key, never the secret")
  void mistakes() {
    assertThatThrownBy(() -> JwtConfig.from(jwt(new JsonObject().put("secret", "short-secret"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("auth.jwt.secret").hasMessageNotContaining("short-secret");
    assertThatThrownBy(() -> JwtConfig.from(jwt(new JsonObject().put("secretFile", "/nonexistent/jwt.key"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("auth.jwt.secretFile");
    assertThatThrownBy(() -> JwtConfig.from(jwt(new JsonObject().put("jwksUrl", "login.example.com/certs"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("auth.jwt.jwksUrl");
    assertThatThrownBy(() -> JwtConfig.from(jwt(new JsonObject().put("jwksUrl", "http://login.example.com/certs"))))
        .as("keys fetched in clear from another host could be swapped in transit")
        .isInstanceOf(ConfigException.class).hasMessageContaining("https://");
    assertThatThrownBy(() -> JwtConfig.from(jwt(new JsonObject().put("publicKeys", new JsonArray().add(new JsonObject()
        .put("alg", "HS256").put("pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("auth.jwt.publicKeys[0].alg");
  }

  private static JsonObject jwt(JsonObject section) {
    return new JsonObject().put("auth", new JsonObject().put("jwt", section));
  }
}
