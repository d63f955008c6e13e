package org.imgedge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
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
  @DisplayName("docker-compose.yml parses, sets only variables the service reads, secrets from files, and the values pass validation")
  @SuppressWarnings("unchecked")
  void composeSetsOnlyKnownVariables() throws IOException {
    Map<String, Object> compose = compose();
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    assertThat(services).containsKeys("postgres", "redis", "s3", "node1", "node2", "nginx");
    Map<String, Map<String, Object>> secrets = (Map<String, Map<String, Object>>) compose.get("secrets");

    Set<String> set = new TreeSet<>();
    Map<String, String> resolved = new HashMap<>();
    for (String node : Set.of("node1", "node2")) {
      Map<String, Object> service = (Map<String, Object>) services.get(node);
      Map<String, Object> env = (Map<String, Object>) service.get("environment");
      assertThat(env).as(node + " environment").isNotNull();
      set.addAll(env.keySet());
      assertThat(env).as(node + " is configured for production, its secrets from files")
          .containsKeys("IMGEDGE_DATABASE_URL_FILE", "IMGEDGE_REDIS_URL", "IMGEDGE_STORAGE_S3_BUCKET",
              "IMGEDGE_STORAGE_S3_SECRET_KEY_FILE", "IMGEDGE_AUTH_KEYS_FILE")
          .doesNotContainKeys("IMGEDGE_DATABASE_URL", "IMGEDGE_STORAGE_S3_SECRET_KEY", "IMGEDGE_AUTH_KEYS");
      for (Map.Entry<String, Object> e : env.entrySet()) {
        String value = String.valueOf(e.getValue());
        if (e.getKey().endsWith("_FILE")) {
          // a compose secret mounted at /run/secrets/<name>, given to this service, whose file exists
          assertThat(value).startsWith("/run/secrets/");
          String secret = value.substring("/run/secrets/".length());
          assertThat((List<String>) service.get("secrets")).as(node + " secrets").contains(secret);
          assertThat(secrets).containsKey(secret);
          Path file = ROOT.resolve(String.valueOf(secrets.get(secret).get("file")));
          assertThat(file).as(e.getKey()).isRegularFile();
          resolved.put(e.getKey().substring(0, e.getKey().length() - "_FILE".length()), Files.readString(file));
        } else {
          resolved.put(e.getKey(), value);
        }
      }
    }
    assertThat(set).allMatch(v -> ConfigLoader.ENV.containsKey(v.endsWith("_FILE") ? v.substring(0, v.length() - 5) : v),
        "a variable the service reads (ConfigLoader.ENV), or one with _FILE");

    // The values, read from the files as the service reads them, must also pass the service's own validation.
    io.vertx.core.json.JsonObject defaults = new io.vertx.core.json.JsonObject(Files.readString(ROOT.resolve("conf/config.json")));
    AppConfig config = AppConfig.from(defaults.mergeIn(ConfigLoader.fromEnv(resolved), true));
    assertThat(config.database().url()).startsWith("postgresql://");
    assertThat(config.auth().keys()).hasSize(3);
    assertThat(config.storage().s3().enabled()).isTrue();
    assertThat(config.redis().url()).startsWith("redis://");
  }

  @Test
  @DisplayName("docker-compose.yml: no withdrawn MinIO image, a healthcheck on every service, nginx waits for healthy nodes")
  @SuppressWarnings("unchecked")
  void composeHealth() throws IOException {
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose().get("services");
    services.forEach((name, service) -> {
      assertThat(String.valueOf(service.get("image"))).as(name).doesNotContain("minio").doesNotEndWith(":latest");
      assertThat(service.get("healthcheck")).as(name + " healthcheck").isNotNull();
    });
    String s3proxyVersion = Pattern.compile("<s3proxy.version>([^<]+)</s3proxy.version>")
        .matcher(Files.readString(ROOT.resolve("pom.xml"))).results().findFirst().orElseThrow().group(1);
    assertThat(services.get("s3").get("image")).as("the S3Proxy release the tests run").isEqualTo("andrewgaul/s3proxy:s3proxy-" + s3proxyVersion);
    Map<String, Map<String, Object>> nginxNeeds = (Map<String, Map<String, Object>>) services.get("nginx").get("depends_on");
    assertThat(nginxNeeds).containsOnlyKeys("node1", "node2");
    nginxNeeds.values().forEach(c -> assertThat(c).containsEntry("condition", "service_healthy"));
    Map<String, Map<String, Object>> nodeNeeds = (Map<String, Map<String, Object>>) services.get("node1").get("depends_on");
    nodeNeeds.values().forEach(c -> assertThat(c).containsEntry("condition", "service_healthy"));
    assertThat(Files.readString(ROOT.resolve(".dockerignore"))).contains("conf/secrets/", "target/", ".git");
  }

  @Test
  @DisplayName("docker-compose config -q accepts the file, where docker-compose is installed")
  void composeConfigPasses() throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("docker-compose", "config", "-q").directory(ROOT.toFile()).redirectErrorStream(true).start();
    } catch (IOException notInstalled) {
      assumeTrue(false, "docker-compose is not installed");
      return;
    }
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> compose() throws IOException {
    return new Yaml(new LoaderOptions()).load(Files.readString(ROOT.resolve("docker-compose.yml")));
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
  @DisplayName("docs/configuration.md documents every environment variable the service reads")
  void configurationDocListsEveryVariable() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/configuration.md"));
    assertThat(ConfigLoader.ENV.keySet()).allMatch(doc::contains, "named in docs/configuration.md");
  }
}
