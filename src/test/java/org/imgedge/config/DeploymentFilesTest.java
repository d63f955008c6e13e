package org.imgedge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imgedge.app.AppConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The deployment files cannot be run here (no Docker engine), so what can be checked without one is. */
class DeploymentFilesTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir"));

  @Test
  @DisplayName("docker-compose.yml parses, and every IMGEDGE_* variable it sets is one the service reads")
  @SuppressWarnings("unchecked")
  void composeSetsOnlyKnownVariables() throws IOException {
    String text = Files.readString(ROOT.resolve("docker-compose.yml"));
    Map<String, Object> compose = new Yaml(new LoaderOptions()).load(text);
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    assertThat(services).containsKeys("postgres", "redis", "s3", "node1", "node2", "nginx");

    Set<String> set = new TreeSet<>();
    for (String node : Set.of("node1", "node2")) {
      Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) services.get(node)).get("environment");
      assertThat(env).as(node + " environment").isNotNull();
      set.addAll(env.keySet());
      assertThat(env).as(node + " is configured for production")
          .containsKeys("IMGEDGE_DATABASE_URL", "IMGEDGE_REDIS_URL", "IMGEDGE_STORAGE_S3_BUCKET", "IMGEDGE_AUTH_KEYS");
    }
    assertThat(set).allMatch(ConfigLoader.ENV::containsKey, "a variable the service reads (ConfigLoader.ENV)");

    // The values must also pass the service's own validation.
    Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) services.get("node1")).get("environment");
    Map<String, String> asText = new java.util.HashMap<>();
    env.forEach((k, v) -> asText.put(k, String.valueOf(v)));
    io.vertx.core.json.JsonObject defaults = new io.vertx.core.json.JsonObject(Files.readString(ROOT.resolve("conf/config.json")));
    AppConfig config = AppConfig.from(defaults.mergeIn(ConfigLoader.fromEnv(asText), true));
    assertThat(config.database().url()).startsWith("postgresql://");
    assertThat(config.auth().keys()).hasSize(3);
    assertThat(config.storage().s3().enabled()).isTrue();
    assertThat(config.redis().url()).startsWith("redis://");
  }

  @Test
  @DisplayName("nginx caches only variant URLs, keyed with their ?v= version, and proxies to both nodes")
  void nginxIsACachingOrigin() throws IOException {
    String conf = Files.readString(ROOT.resolve("conf/nginx.conf"));
    assertThat(conf).contains("server node1:8080", "server node2:8080", "proxy_cache_key \"$uri?v=$arg_v&sig=$arg_sig\"",
        "proxy_cache_revalidate on");
    Matcher cached = Pattern.compile("location ~ (\\S+) \\{[^}]*proxy_cache variants;").matcher(conf);
    assertThat(cached.find()).as("a cached location").isTrue();
    Pattern variantsOnly = Pattern.compile(cached.group(1));
    assertThat(variantsOnly.matcher("/v1/images/0192f6c1-0000-7000-8000-000000000000/small.jpg").matches()).isTrue();
    assertThat(variantsOnly.matcher("/v1/images/0192f6c1-0000-7000-8000-000000000000/original").matches()).isFalse();
    assertThat(variantsOnly.matcher("/v1/images").matches()).isFalse();
  }

  @Test
  @DisplayName("the README documents every environment variable the service reads")
  void readmeListsEveryVariable() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(ConfigLoader.ENV.keySet()).allMatch(readme::contains, "named in README.md");
  }
}
