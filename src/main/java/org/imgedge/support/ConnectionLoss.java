package org.imgedge.support;

import io.netty.channel.unix.Errors.NativeIoException;
import io.vertx.core.VertxException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;

/**
 * Tells a connection that was dropped while in use (reset, broken pipe, closed, end of stream) from
 * one that was never made. The difference matters for writes: a statement sent on a connection that
 * then dropped may have committed before the drop, while one that never found a connection did not.
 */
public final class ConnectionLoss {

  /**
   * vertx-sql-client's only signal for statements still queued on a connection when it closed: they
   * were never written to the socket. With a cause when the close had one (a reset), without when the
   * server closed cleanly (PostgreSQL stopping).
   */
  private static final String QUEUED_NOT_SENT = "Pending requests failed to be sent due to connection has been closed.";

  private ConnectionLoss() {}

  /** @return whether the failure is a statement that the closing connection never sent, so never ran */
  public static boolean isUnsent(Throwable failure) {
    return Causes.any(failure, t -> t instanceof VertxException && QUEUED_NOT_SENT.equals(t.getMessage()));
  }

  /**
   * @return whether the failure is, or was caused by, a connection dropped while its statement or
   *     request was under way: its outcome is unknown. A statement still queued ({@link #isUnsent}) is not.
   */
  public static boolean isDropped(Throwable failure) {
    return !isUnsent(failure) && Causes.any(failure, t -> !(t instanceof ConnectException) && (t instanceof SocketException
        || t instanceof ClosedChannelException // Netty's closed channel, as the JDK's
        || t instanceof NativeIoException // epoll's "Connection reset by peer", "Broken pipe"
        || t instanceof IOException && isResetOrBrokenPipe(t.getMessage()) // the same from the NIO transport
        || t instanceof EOFException
        || t instanceof ClosedConnectionException));
  }

  private static boolean isResetOrBrokenPipe(String message) {
    return message != null && (message.contains("Connection reset") || message.contains("Broken pipe"));
  }
}
