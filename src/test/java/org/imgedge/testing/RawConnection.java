package org.imgedge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One client connection written and read byte for byte, for what an HTTP client would not send or
 * would hide: requests on a connection the test keeps, connections that send nothing, and whether
 * the server closed them.
 */
public final class RawConnection implements AutoCloseable {

  private static final Pattern LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

  private final Socket socket;
  private final InputStream in;

  private RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  public static RawConnection open(int port) {
    try {
      Socket socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      return new RawConnection(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RawConnection send(String bytes) {
    try {
      socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A keep-alive GET of {@code path}, and its whole answer (head and body). */
  public String get(String path) {
    return send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").answer();
  }

  /** Reads one answer: its head, then as many body bytes as its Content-Length says. */
  public String answer() {
    try {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed by the server after " + head.size() + " bytes: " + head.toString(StandardCharsets.ISO_8859_1));
        }
        head.write(b);
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      Matcher length = LENGTH.matcher(text);
      byte[] body = in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
      return text + new String(body, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The status code of {@code answer}. */
  public static int status(String answer) {
    return Integer.parseInt(answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4));
  }

  /** The value of the first header {@code name} (lower case) in a raw answer, or null. */
  public static String header(String answer, String name) {
    return answer.lines().takeWhile(l -> !l.isEmpty())
        .filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name + ":"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
  }

  /**
   * Waits up to {@code timeoutMillis} for the server to close the connection, reading whatever it sends
   * first.
   *
   * @return what the server sent before closing, or null if the connection is still open
   */
  public String closedWithin(int timeoutMillis) {
    try {
      socket.setSoTimeout(timeoutMillis);
      ByteArrayOutputStream sent = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        sent.write(buffer, 0, n);
      }
      return sent.toString(StandardCharsets.UTF_8);
    } catch (SocketTimeoutException open) {
      return null;
    } catch (IOException reset) {
      return reset.getMessage().toLowerCase(Locale.ROOT).contains("reset") ? "" : rethrow(reset);
    }
  }

  private static String rethrow(IOException e) {
    throw new UncheckedIOException(e);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is all we wanted
    }
  }
}
