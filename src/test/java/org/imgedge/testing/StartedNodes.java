package org.imgedge.testing;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The service processes one test starts, killed after it when a failed assertion left them running, so
 * that a leftover node does not go on writing to the next test's storage. Declare it as an instance
 * field, {@code @RegisterExtension final StartedNodes nodes = new StartedNodes();}.
 */
public final class StartedNodes implements AfterEachCallback {

  /** How long a node may take to finish what it is doing after SIGTERM. */
  private static final Duration STOP_LIMIT = Duration.ofSeconds(60);

  private final List<ServiceProcess> started = new ArrayList<>();

  /** {@link ServiceProcess#start(Path, Backend, JsonObject)}, remembered for the kill after the test. */
  public ServiceProcess start(Path storage, Backend backend, JsonObject overrides) {
    return start(storage, backend, overrides, Map.of());
  }

  /** {@link ServiceProcess#start(Path, Backend, JsonObject, Map)}, remembered for the kill after the test. */
  public ServiceProcess start(Path storage, Backend backend, JsonObject overrides, Map<String, String> env) {
    ServiceProcess node = ServiceProcess.start(storage, backend, overrides, env);
    started.add(node);
    return node;
  }

  /** SIGTERM, and the exit it must lead to within a minute. */
  public void stop(ServiceProcess node) throws InterruptedException {
    node.terminate();
    node.awaitExit(STOP_LIMIT);
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    for (ServiceProcess node : started) {
      if (node.process().isAlive()) {
        node.kill();
      }
    }
    started.clear();
  }
}
