package org.imgedge.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real service for one test class: started before its first test on a Vert.x of its own, closed
 * with its storage after its last. Declare it as a static field,
 * {@code @RegisterExtension static final RunningApp app = new RunningApp();}, and reach the service with
 * {@code app.get()}.
 */
public final class RunningApp implements BeforeAllCallback, AfterAllCallback {

  private static final long START_STOP_SECONDS = 60;

  private final JsonObject overrides;
  private Vertx vertx;
  private TestApp app;

  /** The test configuration of {@link TestApp#start(Vertx)}. */
  public RunningApp() {
    this(new JsonObject());
  }

  /** @param overrides merged over the test configuration, as {@link TestApp#start(Vertx, JsonObject)} does */
  public RunningApp(JsonObject overrides) {
    this.overrides = overrides;
  }

  /** The running service; only between the class's first and last test. */
  public TestApp get() {
    if (app == null) {
      throw new IllegalStateException("the app runs only while the test class runs");
    }
    return app;
  }

  /** The Vert.x the service runs on, for tests that need timers or a client of their own. */
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    // the native transport, as Main runs the service
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    app = await(TestApp.start(vertx, overrides));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (app != null) {
        await(app.close());
      }
    } finally {
      app = null;
      await(vertx.close());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(START_STOP_SECONDS, TimeUnit.SECONDS);
  }
}
