package org.imgedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.imgedge.catalog.Database;
import org.imgedge.catalog.DatabaseConfig;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;
import org.imgedge.testing.PostgresServer;
import org.imgedge.testing.Teardown;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever the PostgreSQL client reports while the server stops under load, the service classifies it
 * as "retry later". The HTTP outage test sees a few dozen failures a run; this one drives the service's
 * own pool with many concurrent statements through several stops, so that the rarer ways a query can
 * fail (queued behind a statement on a closing connection, in flight, refused, starting up) all occur.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PostgresStopFailuresTest {

  private static final int STREAMS = 48;
  private static final int STOPS = 4;
  private static final Vertx vertx = Vertx.vertx();
  private static PostgresServer postgres;
  private static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    postgres = PostgresServer.start();
    pool = Database.open(vertx, new DatabaseConfig(postgres.url(), 8, 2000, 2000, 5000, 30), Path.of("unused"))
        .await(60, TimeUnit.SECONDS).pool();
  }

  @AfterAll
  static void stop() throws Exception {
    Teardown.closeAll(() -> vertx.close().await(30, TimeUnit.SECONDS), postgres);
  }

  @ParameterizedTest(name = "pg_ctl stop -m {0}")
  @ValueSource(strings = {"fast", "immediate"})
  @DisplayName("every failure of a statement while PostgreSQL stops and restarts is a 503 with Retry-After")
  void everyFailureIsRetryLater(String mode) throws Exception {
    Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    Set<String> unclassified = ConcurrentHashMap.newKeySet();
    AtomicLong succeeded = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Future<Void>> streams = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      streams.add(stream(i, running, succeeded, failures, unclassified));
    }
    for (int s = 0; s < STOPS; s++) {
      long before = succeeded.get();
      while (succeeded.get() < before + 200) { // the pool is back in use before each stop
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
      postgres.stopServer(mode);
      postgres.startServer();
    }
    running.set(false);
    Future.all(streams).await(60, TimeUnit.SECONDS);

    Map<String, Long> kinds = new TreeMap<>();
    failures.forEach((kind, n) -> kinds.put(kind, n.sum()));
    System.out.printf("[stop -m %s x%d] %d statements succeeded; failures by kind: %s%n", mode, STOPS, succeeded.get(), kinds);
    assertThat(kinds).as("the stops made statements fail").isNotEmpty();
    assertThat(unclassified).as("failures answered 500").isEmpty();
  }

  /** One client issuing prepared inserts and reads back to back until told to stop. */
  private static Future<Void> stream(int id, AtomicBoolean running, AtomicLong succeeded, Map<String, LongAdder> failures,
      Set<String> unclassified) {
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(v -> next(id, 0, running, succeeded, failures, unclassified, done));
    return done.future();
  }

  private static void next(int id, long n, AtomicBoolean running, AtomicLong succeeded,
      Map<String, LongAdder> failures, Set<String> unclassified, Promise<Void> done) {
    if (!running.get()) {
      done.complete();
      return;
    }
    String sql = n % 2 == 0 ? "SELECT $1::int + 1, pg_sleep(0.002)" : "SELECT COUNT(*) FROM images WHERE owner = $1";
    Tuple args = n % 2 == 0 ? Tuple.of((int) n) : Tuple.of("stream-" + id);
    pool.preparedQuery(sql).execute(args).onComplete(r -> {
      if (r.succeeded()) {
        succeeded.incrementAndGet();
      } else {
        String kind = describe(r.cause());
        failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
        AppException answer = Failures.classify(r.cause());
        if (answer == null || answer.type() != ProblemType.UNAVAILABLE || answer.retryAfterSeconds() <= 0) {
          unclassified.add(kind);
        }
      }
      next(id, n + 1, running, succeeded, failures, unclassified, done);
    });
  }

  private static String describe(Throwable f) {
    StringBuilder s = new StringBuilder(f.getClass().getSimpleName() + ": " + f.getMessage());
    for (Throwable c = f.getCause(); c != null; c = c.getCause()) {
      s.append(" <- ").append(c.getClass().getSimpleName());
    }
    return s.toString().replaceAll(":\\d{2,5}\\b", ":PORT");
  }
}
