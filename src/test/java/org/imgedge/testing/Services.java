package org.imgedge.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;


/**
 * Whether the real PostgreSQL and Redis of this machine (127.0.0.1:5432 and :6379, which {@code .ci/run}
 * starts) answer. In CI a missing one fails the test; elsewhere the test is skipped with the reason.
 */
public final class Services {

  private Services() {}

  public static void requirePostgres() {
    require("PostgreSQL", 5432);
  }

  public static void requireRedis() {
    require("Redis", 6379);
  }

  private static void require(String name, int port) {
    boolean up = Ports.accepts(port, 1000);
    String why = name + " is not answering on 127.0.0.1:" + port + " (.ci/install-deps starts it)";
    if (!up && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(why);
    }
    assumeTrue(up, why);
  }
}
