import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy that adds round-trip time, for links whose kernel has no netem: every chunk read from
 * one side is written to the other RTT/2 later. Chunks queue up behind each other, so it is a delay
 * line that keeps the throughput of the link (the bandwidth limit is tbf's job), not stop-and-wait.
 * A new connection's first bytes also wait one extra RTT: the TCP handshake a real link would cost,
 * which the proxy's own instant local accept hides.
 *
 * <pre>java DelayProxy.java LISTEN_HOST LISTEN_PORT TARGET_HOST TARGET_PORT RTT_MS MAX_SECONDS</pre>
 *
 * Exits by itself after MAX_SECONDS.
 */
public final class DelayProxy {

  /** Bytes to forward and when; {@code data == null} marks the end of the stream. */
  private record Chunk(byte[] data, long releaseNanos) {}

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: java DelayProxy.java LISTEN_HOST LISTEN_PORT TARGET_HOST TARGET_PORT RTT_MS MAX_SECONDS");
      System.exit(2);
    }
    InetSocketAddress listen = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    InetSocketAddress target = new InetSocketAddress(args[2], Integer.parseInt(args[3]));
    long rttNanos = Long.parseLong(args[4]) * 1_000_000L;
    long maxMillis = Long.parseLong(args[5]) * 1000L;

    Thread stopper = new Thread(() -> {
      sleepQuietly(maxMillis);
      System.exit(0);
    });
    stopper.setDaemon(true);
    stopper.start();

    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(listen);
      System.out.println("listening " + listen + " -> " + target + ", rtt " + args[4] + " ms");
      System.out.flush();
      while (true) {
        Socket client = server.accept();
        long handshakeDone = System.nanoTime() + rttNanos;
        Socket upstream = new Socket();
        try {
          upstream.connect(target, 5_000);
        } catch (IOException e) {
          client.close();
          continue;
        }
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        AtomicInteger openDirections = new AtomicInteger(2);
        pipe(client, upstream, rttNanos / 2, handshakeDone, openDirections);
        pipe(upstream, client, rttNanos / 2, 0, openDirections);
      }
    }
  }

  /**
   * Forwards from → to on two threads: a reader that stamps each chunk with its release time and a
   * writer that waits for that time. The reader never waits for the writer, so bytes in flight are
   * bounded by time, as on a real link, not by a window.
   */
  private static void pipe(Socket from, Socket to, long delayNanos, long notBeforeNanos, AtomicInteger openDirections) {
    BlockingQueue<Chunk> line = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try {
        InputStream in = from.getInputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          long sendAt = Math.max(System.nanoTime(), notBeforeNanos) + delayNanos;
          line.add(new Chunk(Arrays.copyOf(buffer, n), sendAt));
        }
      } catch (IOException closed) {
        // the other direction failed and closed both sockets, or the peer reset: end this one too
      }
      line.add(new Chunk(null, System.nanoTime() + delayNanos));
    });
    Thread writer = new Thread(() -> {
      try {
        OutputStream out = to.getOutputStream();
        while (true) {
          Chunk chunk = line.take();
          long wait = chunk.releaseNanos() - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          if (chunk.data() == null) {
            to.shutdownOutput(); // pass the half-close on, so HTTP/1.0-style "read to EOF" works
            break;
          }
          out.write(chunk.data());
        }
      } catch (IOException | InterruptedException e) {
        closeQuietly(from);
        closeQuietly(to);
      }
      if (openDirections.decrementAndGet() == 0) {
        closeQuietly(from);
        closeQuietly(to);
      }
    });
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException ignored) {
      Thread.currentThread().interrupt();
    }
  }
}
