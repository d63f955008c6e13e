package org.imgedge.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A database of its own for one test app on the local PostgreSQL (trust auth), dropped afterwards. */
public final class Postgres implements AutoCloseable {

  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private final String name;

  private Postgres(String name) {
    this.name = name;
  }

  public static Postgres freshDatabase() {
    Services.requirePostgres();
    String name = "imgedge_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    execute("CREATE DATABASE " + name);
    return new Postgres(name);
  }

  /** The URL in the form the service's {@code database.url} takes. */
  public String url() {
    return "postgresql://postgres@127.0.0.1:5432/" + name;
  }

  @Override
  public void close() {
    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", null); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
