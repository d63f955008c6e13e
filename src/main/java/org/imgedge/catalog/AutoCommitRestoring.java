package org.imgedge.catalog;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * JDBC connections that go back to auto-commit when a transaction ends.
 *
 * <p>vertx-jdbc-client 5.0.10 ends {@code withTransaction} with {@code commit()} (or {@code rollback()})
 * and then {@code setAutoCommit(false)}, where it means {@code true} (vert-x3/vertx-jdbc-client#356,
 * fixed upstream after 5.0.10; Maven Central has no fixed 5.0.x). The pooled connection then stays in
 * manual-commit mode, so every later statement runs inside a transaction that nothing commits: its
 * writes are answered as done, seen by this process only, and lost when it stops. On SQLite, with one
 * connection, that was every write after the first job claim.
 *
 * <p>The connections handed out here restore auto-commit after each commit or rollback, and ignore the
 * {@code setAutoCommit(false)} that comes right after it. A {@code setAutoCommit(false)} at any other
 * time (the start of the next transaction) goes through. Remove this once the client is fixed:
 * {@code SqliteCommitTest} and {@code DurabilityMatrixTest} fail without it.
 */
final class AutoCommitRestoring implements DataSource {

  private final String url;

  AutoCommitRestoring(String jdbcUrl) {
    this.url = jdbcUrl;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(DriverManager.getConnection(url));
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return wrap(DriverManager.getConnection(url, user, password));
  }

  static Connection wrap(Connection connection) {
    boolean[] justEnded = {false};
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          String name = method.getName();
          boolean ending = name.equals("commit") || name.equals("rollback") && (args == null || args.length == 0);
          if (name.equals("setAutoCommit") && justEnded[0] && Boolean.FALSE.equals(args[0])) {
            justEnded[0] = false;
            return null; // the client's post-commit call: stay in auto-commit
          }
          justEnded[0] = false;
          Object result;
          try {
            result = method.invoke(connection, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (ending) {
            connection.setAutoCommit(true);
            justEnded[0] = true;
          }
          return result;
        });
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
