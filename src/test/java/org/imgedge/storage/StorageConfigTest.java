package org.imgedge.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.imgedge.app.AppConfig;
import org.imgedge.config.ConfigException;
import org.imgedge.config.ConfigLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How {@code storage.s3} is read: defaults, text values from the environment, and errors that name the key. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class StorageConfigTest {

  private static S3Config s3(JsonObject s3) {
    JsonObject root = new JsonObject()
        .put("storage", new JsonObject().put("dir", "data").put("s3", s3))
        .put("presets", new JsonObject().put("small", new JsonObject().put("box", 400).put("quality", 85)));
    return AppConfig.from(root).storage().s3();
  }

  @Test
  @DisplayName("with no bucket S3 is off, and the defaults are us-east-1 and path-style")
  void defaults() {
    S3Config c = s3(new JsonObject());
    assertThat(c.enabled()).isFalse();
    assertThat(c.region()).isEqualTo("us-east-1");
    assertThat(c.pathStyle()).isTrue();
  }

  @Test
  @DisplayName("values from environment variables arrive as text and are accepted; the secret is never printed")
  void fromText() {
    S3Config c = s3(new JsonObject().put("endpoint", "http://127.0.0.1:9000").put("bucket", "imgedge")
        .put("accessKey", "AKIDEXAMPLE").put("secretKey", "wJalrXUtnFEMI/K7MDENG").put("pathStyle", "false"));
    assertThat(c.enabled()).isTrue();
    assertThat(c.pathStyle()).isFalse();
    assertThat(c.toString()).contains("AKIDEXAMPLE").doesNotContain("wJalrXUtnFEMI");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "endpoint  | ftp://host            | storage.s3.endpoint",
      "endpoint  | not a url             | storage.s3.endpoint",
      "bucket    | Upper_Case            | storage.s3.bucket",
      "bucket    | ab                    | storage.s3.bucket",
      "region    | US EAST               | storage.s3.region",
      "pathStyle | yes                   | storage.s3.pathStyle",
      "accessKey | AKIDEXAMPLE           | storage.s3.secretKey",
      "secretKey | secret                | storage.s3.accessKey",
  })
  @DisplayName("a bad value stops the start with the key it is about")
  void badValues(String key, String value, String named) {
    JsonObject s3 = new JsonObject().put("bucket", "imgedge").put(key, value);
    assertThatThrownBy(() -> s3(s3)).isInstanceOf(ConfigException.class).hasMessageContaining("'" + named + "'");
  }

  @Test
  @DisplayName("an endpoint without a bucket is refused rather than silently ignored")
  void endpointNeedsBucket() {
    assertThatThrownBy(() -> s3(new JsonObject().put("endpoint", "http://127.0.0.1:9000")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'storage.s3.bucket'");
  }

  @Test
  @DisplayName("IMGEDGE_STORAGE_S3_* variables switch S3 on next to storage.dir from the defaults file")
  void fromEnvironment(Vertx vertx, VertxTestContext ctx) {
    Map<String, String> env = Map.of(
        "IMGEDGE_STORAGE_S3_ENDPOINT", "http://127.0.0.1:9000",
        "IMGEDGE_STORAGE_S3_BUCKET", "imgedge",
        "IMGEDGE_STORAGE_S3_REGION", "eu-west-3",
        "IMGEDGE_STORAGE_S3_ACCESS_KEY", "AKIDEXAMPLE",
        "IMGEDGE_STORAGE_S3_SECRET_KEY", "wJalrXUtnFEMI/K7MDENG",
        "IMGEDGE_STORAGE_S3_PATH_STYLE", "false");
    ConfigLoader.load(vertx, null, env).map(AppConfig::from).onComplete(ctx.succeeding(c -> ctx.verify(() -> {
      assertThat(c.storage().dir()).isEqualTo(Path.of("data"));
      assertThat(c.storage().s3()).isEqualTo(new S3Config("http://127.0.0.1:9000", "imgedge", "eu-west-3",
          "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG", false));
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("every storage.s3 key has its IMGEDGE_STORAGE_S3_* variable")
  void envTable() {
    assertThat(ConfigLoader.ENV).containsEntry("IMGEDGE_STORAGE_S3_ENDPOINT", "storage.s3.endpoint")
        .containsEntry("IMGEDGE_STORAGE_S3_BUCKET", "storage.s3.bucket")
        .containsEntry("IMGEDGE_STORAGE_S3_REGION", "storage.s3.region")
        .containsEntry("IMGEDGE_STORAGE_S3_ACCESS_KEY", "storage.s3.accessKey")
        .containsEntry("IMGEDGE_STORAGE_S3_SECRET_KEY", "storage.s3.secretKey")
        .containsEntry("IMGEDGE_STORAGE_S3_PATH_STYLE", "storage.s3.pathStyle");
  }
}
