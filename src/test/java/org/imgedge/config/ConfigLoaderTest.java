package org.imgedge.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.imgedge.app.AppConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The merge order operators rely on: defaults, then their file, then IMGEDGE_* variables; the last wins. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ConfigLoaderTest {

  @Test
  @DisplayName("a variable beats the operator's file, which beats the defaults; untouched keys keep their defaults")
  void mergeOrder(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("imgedge.json");
    Files.writeString(file, new JsonObject()
        .put("http", new JsonObject().put("port", 9001))
        .put("limits", new JsonObject().put("maxPixels", 1000)).encode());
    Map<String, String> env = Map.of("IMGEDGE_HTTP_PORT", "9002");
    Future.all(
            ConfigLoader.load(vertx, null, Map.of()),
            ConfigLoader.load(vertx, file.toString(), Map.of()),
            ConfigLoader.load(vertx, file.toString(), env))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<AppConfig> configs = all.<JsonObject>list().stream().map(AppConfig::from).toList();
          assertThat(configs).extracting(c -> c.http().port()).containsExactly(8080, 9001, 9002);
          assertThat(configs).extracting(c -> c.limits().maxPixels()).containsExactly(200_000_000L, 1000L, 1000L);
          assertThat(configs).allSatisfy(c -> assertThat(c.limits().maxUploadBytes()).isEqualTo(52_428_800L));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("every variable names a key of conf/config.json, and every key there has its variable: the known keys cannot drift")
  void envTableMatchesDefaults() {
    List<String> keys = new KnownKeys(ConfigLoader.defaults()).leaves();
    assertThat(keys).containsAll(ConfigLoader.ENV.values());
    // auth.jwt.secretFile is a path for config files; its variable form is the generic IMGEDGE_AUTH_JWT_SECRET_FILE.
    assertThat(ConfigLoader.ENV.values()).containsAll(keys.stream().filter(k -> !k.equals("auth.jwt.secretFile")).toList());
  }

  @Test
  @DisplayName("an unknown key, however deep, fails the load with the closest known key; preset names are the operator's own")
  void unknownKeys(Vertx vertx, VertxTestContext ctx) {
    JsonObject presets = new JsonObject().put("thumb", new JsonObject().put("box", 100));
    ConfigLoader.load(vertx, null, Map.of("IMGEDGE_STORAGE_S3_ENDPIONT", "http://s3"))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).hasMessage("unknown environment variable IMGEDGE_STORAGE_S3_ENDPIONT (did you mean IMGEDGE_STORAGE_S3_ENDPOINT?)");
          ConfigLoader.load(vertx, null, Map.of("IMGEDGE_PRESETS", presets.encode()))
              .onComplete(ctx.succeeding(config -> ctx.verify(() -> {
                assertThat(AppConfig.from(config).presets()).extracting(p -> p.name()).contains("thumb");
                ctx.completeNow();
              })));
        })));
  }
}
