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
 * with its storage after its last. In the test configuration, annotate the class {@link WithService} and
 * reach the service with {@link #service()}; with other settings, declare it as a static field,
 * {@code @RegisterExtension static final RunningApp app = new RunningApp(overrides);}, and reach the
 * service with {@code app.get()}.
 */
public final class RunningApp implements BeforeAllCallback, AfterAllCallback {

  private static final long START_STOP_SECONDS = 60;

  /**
   * The app of the {@link WithService} class that is running. Test classes run one after another (the
   * build runs none in parallel), and a second one at once is refused rather than given the wrong app.
   */
  private static volatile RunningApp current;

  private final JsonObject overrides;
  private final boolean withService;
  private Vertx vertx;
  private TestApp app;

  /** For {@link WithService}, which JUnit builds with this: the test configuration, reached with {@link #service()}. */
  private RunningApp() {
    this(new JsonObject(), true);
  }

  /** @param overrides merged over the test configuration, as {@link TestApp#start(Vertx, JsonObject)} does */
  public RunningApp(JsonObject overrides) {
    this(overrides, false);
  }

  private RunningApp(JsonObject overrides, boolean withService) {
    this.overrides = overrides;
    this.withService = withService;
  }

  /** The running service; only between the class's first and last test. */
  public TestApp get() {
    if (app == null) {
      throw new IllegalStateException("the app runs only while the test class runs");
    }
    return app;
  }

  /** The running service of the {@link WithService} class under test. */
  public static TestApp service() {
    RunningApp running = current;
    if (running == null) {
      throw new IllegalStateException("no @WithService class is running");
    }
    return running.get();
  }

  /** The Vert.x the service runs on, for tests that need timers or a client of their own. */
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    // the native transport, as Main runs the service
    if (withService) {
      if (current != null) {
        throw new IllegalStateException("@WithService classes run one at a time; " + context.getDisplayName() + " met another");
      }
      current = this;
    }
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
      if (current == this) {
        current = null;
      }
      app = null;
      if (vertx != null) {
        await(vertx.close());
      }
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(START_STOP_SECONDS, TimeUnit.SECONDS);
  }
}
