import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Holds many idle keep-alive connections open against the service, the way a crowd of phones that
 * opened the app and then put it down would: each connection makes one request, reads the whole
 * response, then stays silent.
 *
 * <pre>java IdleConnections.java HOST PORT COUNT MAX_SECONDS STOP_FILE</pre>
 *
 * Prints "open N" once all are established, then waits until STOP_FILE exists (or MAX_SECONDS pass,
 * so it always stops by itself), then prints "still open N" (connections the server had not closed)
 * and closes them all.
 */
public final class IdleConnections {

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: java IdleConnections.java HOST PORT COUNT MAX_SECONDS STOP_FILE");
      System.exit(2);
    }
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
    Path stopFile = Path.of(args[4]);

    byte[] request = ("GET /health/live HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    List<Socket> sockets = new ArrayList<>(count);
    long started = System.nanoTime();
    for (int i = 0; i < count; i++) {
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress(host, port), 10_000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request);
      // buffered only for this one response: the server sends nothing more on an idle connection
      readOneResponse(new BufferedInputStream(socket.getInputStream(), 1024));
      sockets.add(socket);
    }
    System.out.printf(Locale.ROOT, "open %d (in %.1f s)%n", sockets.size(), (System.nanoTime() - started) / 1e9);
    System.out.flush();

    while (!Files.exists(stopFile) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }

    int stillOpen = 0;
    for (Socket socket : sockets) {
      if (isOpen(socket)) {
        stillOpen++;
      }
      socket.close();
    }
    System.out.println("still open " + stillOpen);
  }

  /** Reads the status line and headers, then exactly Content-Length body bytes. */
  private static void readOneResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before the response headers ended");
      }
      head.append((char) b);
    }
    long remaining = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        remaining = Long.parseLong(line.substring("content-length:".length()).trim());
      }
    }
    while (remaining > 0) {
      long skipped = in.skip(remaining);
      if (skipped <= 0 && in.read() < 0) {
        throw new IOException("connection closed in the middle of the body");
      }
      remaining -= Math.max(skipped, 1);
    }
  }

  /** An idle open connection has nothing to read: the read times out instead of seeing EOF. */
  private static boolean isOpen(Socket socket) {
    try {
      socket.setSoTimeout(1);
      return socket.getInputStream().read() >= 0;
    } catch (SocketTimeoutException stillWaiting) {
      return true;
    } catch (IOException closed) {
      return false;
    }
  }
}
