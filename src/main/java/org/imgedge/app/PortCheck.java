package org.imgedge.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.imgedge.config.ConfigException;

/**
 * Binds the configured address once and lets it go, before the service writes anything: a port another
 * process holds is then one clear line at start instead of a failure after the storage, the keys and the
 * database were set up. The HTTP verticles bind it for real moments later.
 */
final class PortCheck {

  private PortCheck() {}

  /**
   * Blocking.
   *
   * @param key the configuration key that named the port, for the message
   * @throws ConfigException when the address is taken or cannot be bound here
   */
  static void free(String key, String host, int port) {
    if (port == 0) {
      return; // any free port: nothing to check
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true); // a previous run's connections in TIME_WAIT do not hold the port
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new ConfigException(key, host + ":" + port + " cannot be bound: " + e.getMessage());
    }
  }
}
