package org.imgedge.support;

import io.netty.channel.unix.Errors.NativeIoException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;

/**
 * Tells a connection that was dropped while in use (reset, broken pipe, closed, end of stream) from
 * one that was never made. The difference matters for writes: a statement sent on a connection that
 * then dropped may have committed before the drop, while one that never found a connection did not.
 */
public final class ConnectionLoss {

  private ConnectionLoss() {}

  /** @return whether the failure is, or was caused by, a connection dropped mid-use */
  public static boolean isDropped(Throwable failure) {
    return Causes.any(failure, t -> !(t instanceof ConnectException) && (t instanceof SocketException
        || t instanceof ClosedChannelException // Netty's closed channel, as the JDK's
        || t instanceof NativeIoException // epoll's "Connection reset by peer", "Broken pipe"
        || t instanceof EOFException
        || t instanceof ClosedConnectionException));
  }
}
