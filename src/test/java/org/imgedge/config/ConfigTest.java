package org.imgedge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.imgedge.app.AppConfig;
import org.imgedge.auth.Role;
import org.imgedge.jobs.JobsConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing the operators' configuration: environment variables, defaults, and one clear line per bad key. */
class ConfigTest {

  private static final String KEY = "a-key-of-twenty-chars";

  @Test
  @DisplayName("IMGEDGE_* variables map to their keys; JSON values are parsed, 'null' is null, others ignored")
  void fromEnv() {
    JsonObject json = ConfigLoader.fromEnv(Map.of(
        "IMGEDGE_HTTP_PORT", "9000",
        "IMGEDGE_STORAGE_DIR", "/var/lib/imgedge",
        "IMGEDGE_DATABASE_URL", "null",
        "IMGEDGE_LIMITS_MAX_UPLOAD_BYTES", "1048576",
        "IMGEDGE_IMAGING_CODEC", "imageio",
        "IMGEDGE_AUTH_KEYS", "[{\"key\": \"" + KEY + "\", \"subject\": \"alice\", \"role\": \"client\"}]",
        "IMGEDGE_UNKNOWN", "x",
        "PATH", "/usr/bin"));
    assertThat(json.getJsonObject("http").getValue("port")).isEqualTo("9000");
    assertThat(json.getJsonObject("storage").getString("dir")).isEqualTo("/var/lib/imgedge");
    assertThat(json.getJsonObject("database").containsKey("url")).isTrue();
    assertThat(json.getJsonObject("database").getValue("url")).isNull();
    assertThat(json.getJsonObject("auth").getJsonArray("keys")).hasSize(1);
    assertThat(json.fieldNames()).containsExactlyInAnyOrder("http", "storage", "database", "limits", "imaging", "auth");

    AppConfig config = AppConfig.from(defaultsFile().mergeIn(json, true));
    assertThat(config.http().port()).isEqualTo(9000);
    assertThat(config.storage().dir()).hasToString("/var/lib/imgedge");
    assertThat(config.database().url()).isNull();
    assertThat(config.limits().maxUploadBytes()).isEqualTo(1_048_576L);
    assertThat(config.imaging().codec()).isEqualTo("imageio");
    assertThat(config.auth().keys()).singleElement()
        .satisfies(k -> assertThat(k.subject()).isEqualTo("alice"))
        .satisfies(k -> assertThat(k.role()).isEqualTo(Role.CLIENT));
  }

  @Test
  @DisplayName("every variable of the table names a key AppConfig reads")
  void everyVariableIsUsed() {
    assertThat(ConfigLoader.ENV).containsEntry("IMGEDGE_HTTP_PORT", "http.port")
        .containsEntry("IMGEDGE_STORAGE_DIR", "storage.dir")
        .containsEntry("IMGEDGE_DATABASE_URL", "database.url")
        .containsEntry("IMGEDGE_REDIS_URL", "redis.url")
        .containsEntry("IMGEDGE_AUTH_KEYS", "auth.keys");
    ConfigLoader.ENV.forEach((name, key) -> {
      // a wrong type at each key must be refused naming that key: proof that the key is read
      JsonObject json = defaultsFile().mergeIn(ConfigLoader.fromEnv(Map.of(name, "[1]")), true);
      assertThatThrownBy(() -> AppConfig.from(json)).as(name).isInstanceOf(ConfigException.class)
          .hasMessageContaining(key);
    });
  }

  @Test
  @DisplayName("a variable holding broken JSON is refused naming its key")
  void brokenJsonInEnv() {
    assertThatThrownBy(() -> ConfigLoader.fromEnv(Map.of("IMGEDGE_AUTH_KEYS", "[{\"key\": ")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("auth.keys");
  }

  @Test
  @DisplayName("the defaults file alone makes a valid configuration: port 8080, SQLite, Caffeine only, small and medium")
  void defaults() {
    AppConfig config = AppConfig.from(defaultsFile());
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.database().url()).isNull();
    assertThat(config.redis().url()).isNull();
    assertThat(config.presets()).extracting(p -> p.name() + "@" + p.box()).containsExactly("small@400", "medium@1000");
    assertThat(config.limits().maxUploadBytes()).isEqualTo(52_428_800L);
    assertThat(config.jobs()).isEqualTo(new JobsConfig(5, 10));
    assertThat(config.urls().signing()).as("variant URLs unsigned unless keys are given").isFalse();
  }

  @Test
  @DisplayName("IMGEDGE_URLS_SIGNING_KEYS takes a JSON list, newest first, and the keys never show in toString")
  void signingKeysFromEnv() {
    String newest = "newest-signing-key-0123456789";
    JsonObject json = ConfigLoader.fromEnv(Map.of("IMGEDGE_URLS_SIGNING_KEYS", "[\"" + newest + "\", \"older-signing-key-0123456789\"]",
        "IMGEDGE_JOBS_MAX_ATTEMPTS", "3", "IMGEDGE_JOBS_BACKOFF_SECONDS", "0"));
    AppConfig config = AppConfig.from(defaultsFile().mergeIn(json, true));
    assertThat(config.urls().signingKeys()).containsExactly(newest, "older-signing-key-0123456789");
    assertThat(config.urls().toString()).doesNotContain(newest);
    assertThat(config.jobs()).isEqualTo(new JobsConfig(3, 0));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "http.port                | \"abc\"                  | http.port",
      "http.port                | 70000                    | http.port",
      "http.port                | -1                       | http.port",
      "http.instances           | 0                        | http.instances",
      "storage.dir              | \"\"                     | storage.dir",
      "database.url             | \"mysql://x\"            | database.url",
      "redis.url                | \"http://cache:6379\"    | redis.url",
      "limits.maxUploadBytes    | 0                        | limits.maxUploadBytes",
      "limits.maxPixels         | \"many\"                 | limits.maxPixels",
      "imaging.codec            | \"fast\"                 | imaging.codec",
      "imaging.workers          | 0                        | imaging.workers",
      "imaging.queue            | 0                        | imaging.queue",
      "imaging.wideGamut        | \"p3\"                   | imaging.wideGamut",
      "cache.maxBytes           | -5                       | cache.maxBytes",
      "jobs.maxAttempts         | 0                        | jobs.maxAttempts",
      "jobs.maxAttempts         | 21                       | jobs.maxAttempts",
      "jobs.backoffSeconds      | -1                       | jobs.backoffSeconds",
      "urls.signingKeys         | \"one-key\"              | urls.signingKeys",
      "urls.signingKeys         | [\"too-short\"]          | urls.signingKeys[0]",
      "urls.signingKeys         | [\"a-key-of-twenty-chars\", 7] | urls.signingKeys[1]",
      "presets.small            | 400                      | presets.small",
      "presets.small.box        | \"big\"                  | presets.small.box",
      "presets.Big_One          | {\"box\": 100}           | presets.Big_One",
      "presets.thumb            | {\"quality\": 80}       | presets.thumb.box",
      "presets.small.formats    | [\"jpeg\", \"gif\"]    | presets.small.formats",
      "presets.small.formats    | 7                        | presets.small.formats",
      "presets.small.webpQuality | 0                       | presets.small.webpQuality",
      "presets.small.progressive | \"yes\"               | presets.small.progressive",
      "presets.small.chroma     | \"4:2:2\"              | presets.small.chroma",
      "auth.keys                | {}                       | auth.keys",
      "auth.keys                | [\"just-a-string-key\"]  | auth.keys[0]",
      "auth.keys                | [{\"key\": \"a-key-of-twenty-chars\", \"subject\": \"alice\", \"role\": \"root\"}] | auth.keys[0].role",
      "auth.keys                | [{\"key\": \"a-key-of-twenty-chars\", \"subject\": \"\", \"role\": \"client\"}]   | auth.keys[0].subject",
      "http                     | 8080                     | http",
      "http.managementPort      | 8080                     | http.managementPort",
      "http.managementPort      | 70000                    | http.managementPort",
      "http.cors.origins        | \"https://app.example.com\" | http.cors.origins",
      "http.cors.origins        | [\"https://app.example.com/\"] | http.cors.origins[0]",
      "http.cors.origins        | [\"app.example.com\"]    | http.cors.origins[0]",
      "http.cors.origins        | [\"*\", \"https://app.example.com\"] | http.cors.origins"})
  @DisplayName("a bad value stops the start with a ConfigException naming the key")
  void badValue(String key, String value, String named) {
    JsonObject json = defaultsFile();
    put(json, key, new JsonArray("[" + value + "]").getValue(0));
    assertThatThrownBy(() -> AppConfig.from(json)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("'" + named + "'");
  }

  @Test
  @DisplayName("a key that is too short is refused without repeating the secret")
  void shortKeyIsNotEchoed() {
    JsonObject json = defaultsFile();
    String secret = "s3cret-short";
    put(json, "auth.keys", new JsonArray().add(new JsonObject().put("key", secret).put("subject", "a").put("role", "admin")));
    assertThatThrownBy(() -> AppConfig.from(json)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.keys[0].key")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
  }

  static JsonObject defaultsFile() {
    try {
      return new JsonObject(java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("basedir", "."), "conf/config.json")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Sets a dotted key, creating the objects on the way. */
  private static void put(JsonObject root, String dotted, Object value) {
    String[] path = dotted.split("\\.");
    JsonObject parent = root;
    for (int i = 0; i < path.length - 1; i++) {
      if (!(parent.getValue(path[i]) instanceof JsonObject)) {
        parent.put(path[i], new JsonObject());
      }
      parent = parent.getJsonObject(path[i]);
    }
    parent.put(path[path.length - 1], value);
  }
}
