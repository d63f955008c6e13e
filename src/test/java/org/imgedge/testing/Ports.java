package org.imgedge.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Ports of 127.0.0.1 for the servers tests start: one that is free, and whether one answers. */
public final class Ports {

  private Ports() {}

  /** A port free at the moment of asking, for a server told to bind it a moment later (the race with another process is accepted). */
  public static int free() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Whether something accepts connections on this port of 127.0.0.1 within {@code timeoutMillis}. */
  public static boolean accepts(int port, int timeoutMillis) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
