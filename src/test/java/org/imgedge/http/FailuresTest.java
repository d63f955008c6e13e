package org.imgedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Errors;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;
import org.imgedge.support.ConnectionLoss;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which failures become "retry later" answers rather than a 500. */
class FailuresTest {

  @Test
  @DisplayName("a full disk is 507, whether the JDK, Vert.x (wrapped) or SQLite reports it")
  void diskFull() {
    assertThat(type(new IOException("No space left on device"))).isEqualTo(ProblemType.INSUFFICIENT_STORAGE);
    assertThat(type(new io.vertx.core.file.FileSystemException(new IOException("No space left on device"))))
        .isEqualTo(ProblemType.INSUFFICIENT_STORAGE);
    assertThat(type(new SQLException("[SQLITE_FULL] database or disk is full", null, 13))).isEqualTo(ProblemType.INSUFFICIENT_STORAGE);
    assertThat(type(new PgException("could not extend file", "ERROR", "53100", null))).isEqualTo(ProblemType.INSUFFICIENT_STORAGE);
  }

  @Test
  @DisplayName("a database that refuses, drops, is shutting down, starting up or out of connections is 503 with Retry-After")
  void databaseUnavailable() {
    assertThat(type(new ConnectException("Connection refused"))).isEqualTo(ProblemType.UNAVAILABLE);
    assertThat(type(ClosedConnectionException.INSTANCE)).isEqualTo(ProblemType.UNAVAILABLE);
    assertThat(type(new VertxException("Timeout waiting for connection", true))).isEqualTo(ProblemType.UNAVAILABLE);
    for (String state : new String[] {"57P01", "57P02", "57P03", "08006", "53300"}) {
      assertThat(type(new PgException("down", "FATAL", state, null))).as(state).isEqualTo(ProblemType.UNAVAILABLE);
    }
    assertThat(type(new SQLException("[SQLITE_BUSY] database is locked", null, 5))).isEqualTo(ProblemType.UNAVAILABLE);
    assertThat(Failures.classify(new ConnectException("refused")).retryAfterSeconds()).isPositive();
  }

  @Test
  @DisplayName("a connection dropped mid-request (reset, broken pipe, closed, end of stream), on either transport, is 503 with Retry-After")
  void connectionDropped() {
    List<Throwable> dropped = new ArrayList<>(List.of(
        new SocketException("Connection reset"),
        new SocketException("Broken pipe"),
        new IOException("Connection reset by peer"), // the NIO transport's own reset, seen once while PostgreSQL stopped
        new EOFException(),
        new ClosedChannelException(),
        ClosedConnectionException.INSTANCE,
        new VertxException(new SocketException("Connection reset"))));
    if (Epoll.isAvailable()) { // loads the native transport, which epoll's own exception needs
      dropped.add(Errors.newIOException("recvAddress", -104)); // ECONNRESET, as the epoll transport reports it
    }
    for (Throwable t : dropped) {
      AppException problem = Failures.classify(t);
      assertThat(problem).as("%s", t).isNotNull();
      assertThat(problem.type()).as("%s", t).isEqualTo(ProblemType.UNAVAILABLE);
      assertThat(problem.retryAfterSeconds()).as("%s", t).isPositive();
    }
    assertThat(ConnectionLoss.isDropped(new ConnectException("Connection refused")))
        .as("a connection never made is not a dropped one: nothing was sent on it").isFalse();
  }

  @Test
  @DisplayName("a bug stays a bug: a wrong query or a plain exception is not disguised as 'retry later'")
  void others() {
    assertThat(Failures.classify(new PgException("syntax error", "ERROR", "42601", null))).isNull();
    assertThat(Failures.classify(new IllegalStateException("boom"))).isNull();
    assertThat(Failures.classify(new IOException("Permission denied"))).isNull();
  }

  private static ProblemType type(Throwable t) {
    AppException e = Failures.classify(t);
    return e == null ? null : e.type();
  }
}
