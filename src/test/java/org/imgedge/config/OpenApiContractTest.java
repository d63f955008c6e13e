package org.imgedge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.imgedge.problem.ProblemType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** docs/openapi.yaml is what apps generate clients from: it must be valid and name every route the service has. */
class OpenApiContractTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir"));
  /** Installed by .ci/install-deps from the pinned .ci/openapi-lint/package-lock.json. */
  private static final Path REDOCLY = ROOT.resolve(".ci/openapi-lint/node_modules/.bin/redocly");
  private static final Pattern ROUTE = Pattern.compile("routing\\.(?:open|guarded)\\(HttpMethod\\.([A-Z]+), (\"[^\"]+\"|ROUTE)");

  @Test
  @DisplayName("redocly lint finds no error in docs/openapi.yaml")
  void lintsClean() throws Exception {
    if (!Files.isExecutable(REDOCLY)) {
      // CI must run it; a developer without Node gets told what is missing
      assertThat(System.getenv("CI")).as("redocly is installed by .ci/install-deps").isNull();
      assumeTrue(false, "redocly is not installed: run .ci/install-deps (npm ci in .ci/openapi-lint)");
    }
    Process lint = new ProcessBuilder(REDOCLY.toString(), "lint", "--format=stylish", "docs/openapi.yaml")
        .directory(ROOT.toFile()).redirectErrorStream(true).start();
    String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(lint.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(lint.exitValue()).as(output).isZero();
    assertThat(output).doesNotContain(" error ");
  }

  @Test
  @DisplayName("every route the api package adds is in docs/openapi.yaml with its method, and the spec has no other")
  @SuppressWarnings("unchecked")
  void specNamesEveryRoute() throws IOException {
    Set<String> routes = new TreeSet<>();
    try (Stream<Path> files = Files.list(ROOT.resolve("src/main/java/org/imgedge/api"))) {
      for (Path file : files.toList()) {
        Matcher m = ROUTE.matcher(Files.readString(file));
        while (m.find()) {
          String path = m.group(2).equals("ROUTE") ? "/v1/images/{id}/{preset}.jpg" // VariantsApi's :file is {preset}.jpg
              : m.group(2).replace("\"", "").replaceAll(":([A-Za-z]+)", "{$1}");
          routes.add(m.group(1).toLowerCase() + " " + path);
        }
      }
    }
    Map<String, Object> doc = new Yaml(new LoaderOptions()).load(Files.readString(ROOT.resolve("docs/openapi.yaml")));
    Set<String> documented = new TreeSet<>();
    ((Map<String, Map<String, Object>>) doc.get("paths")).forEach((path, item) -> item.keySet().stream()
        .filter(k -> Set.of("get", "head", "post", "put", "delete", "patch", "options").contains(k))
        .forEach(method -> documented.add(method + " " + path)));
    // HEAD is answered wherever GET is (the spec says so once); the routes that add HEAD themselves are documented
    routes.removeIf(r -> r.startsWith("head ") && !documented.contains(r) && routes.contains("get " + r.substring(5)));
    assertThat(routes).isNotEmpty();
    assertThat(documented).containsExactlyInAnyOrderElementsOf(routes);
  }

  @Test
  @DisplayName("every problem type the service sends is in the spec's table and in docs/API.md, with its status")
  void specNamesEveryProblemType() throws IOException {
    String spec = Files.readString(ROOT.resolve("docs/openapi.yaml"));
    String api = Files.readString(ROOT.resolve("docs/API.md"));
    for (ProblemType type : ProblemType.values()) {
      assertThat(spec).as("docs/openapi.yaml").containsPattern("\\| `" + type.slug() + "` \\| " + type.status() + "\\b");
      assertThat(api).as("docs/API.md").contains("| " + type.status() + " | `" + type.slug() + "` |");
    }
  }
}
