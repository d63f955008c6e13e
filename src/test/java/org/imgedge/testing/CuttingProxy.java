package org.imgedge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * A TCP proxy that drops connections the way a mobile link does: each connection may be cut after a
 * random number of bytes from the client (seeded, so a failing run can be replayed), until a set number
 * of cuts has been made. The target port is asked for at every new connection, so a test can move the
 * client to another node, or to a restarted one, behind the same address.
 */
public final class CuttingProxy implements AutoCloseable {

  private final ServerSocket server;
  private final IntSupplier target;
  private final Random random;
  private final int maxCutBytes;
  private final AtomicInteger cutsLeft;
  private final AtomicInteger cuts = new AtomicInteger();
  private final AtomicLong bytesUp = new AtomicLong();
  private final Thread acceptor;
  private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile long cutAllAt = Long.MAX_VALUE;

  /**
   * @param target      the port of the service for each new connection
   * @param seed        of the cut positions
   * @param cuts        how many connections to cut in all; then every connection passes untouched
   * @param maxCutBytes a cut connection carries from 1 to this many bytes from the client first
   */
  public CuttingProxy(IntSupplier target, long seed, int cuts, int maxCutBytes) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.target = target;
    this.random = new Random(seed);
    this.maxCutBytes = maxCutBytes;
    this.cutsLeft = new AtomicInteger(cuts);
    this.acceptor = new Thread(this::accept, "cutting-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Once {@code bytes} have passed from clients, every open connection is cut (counted as one cut), so
   * that the next requests come on new connections, which ask for the target again: a client with idle
   * keep-alive connections moves to the new target too.
   */
  public void cutAllAt(long bytes) {
    cutAllAt = bytes;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Connections cut so far. */
  public int cuts() {
    return cuts.get();
  }

  /** Bytes passed from clients to the service so far. */
  public long bytesUp() {
    return bytesUp.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        long budget;
        synchronized (random) {
          budget = cutsLeft.get() > 0 ? 1 + random.nextInt(maxCutBytes) : Long.MAX_VALUE;
        }
        Socket upstream;
        try {
          upstream = new Socket(InetAddress.getLoopbackAddress(), target.getAsInt());
        } catch (IOException down) {
          // the service is down (killed, restarting): the client sees a dropped connection and retries
          client.close();
          continue;
        }
        open.add(client);
        open.add(upstream);
        pump(client, upstream, budget, true);
        pump(upstream, client, Long.MAX_VALUE, false);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to, long budget, boolean up) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      long left = budget;
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
          out.write(buffer, 0, n);
          out.flush();
          left -= n;
          if (up && bytesUp.addAndGet(n) >= cutAllAt) {
            cutAllAt = Long.MAX_VALUE;
            cuts.incrementAndGet();
            open.forEach(CuttingProxy::close);
            break;
          }
          if (left == 0) {
            // a connection that ends before its budget (a short HEAD) uses up no cut
            if (cutsLeft.getAndUpdate(c -> Math.max(0, c - 1)) > 0) {
              cuts.incrementAndGet();
              break;
            }
            left = Long.MAX_VALUE;
          }
        }
      } catch (IOException e) {
        // the other side closed
      } finally {
        close(from);
        close(to);
        open.remove(from);
        open.remove(to);
      }
    }, "cutting-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
