package org.imgedge.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** What a request's headers say of its body, before a byte of it is read. */
public final class DeclaredBody {

  private DeclaredBody() {}

  /**
   * Whether a body follows, as HTTP/1.1 declares one: a Content-Length above 0 or a Transfer-Encoding.
   * (An HTTP/2 request may carry a body with neither: callers that must know for sure check the version.)
   */
  public static boolean present(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || (length != null && !length.trim().equals("0"));
  }

  /** Whether Content-Length declares more than {@code max} bytes (a number too long for a long does). */
  public static boolean longerThan(HttpServerRequest request, long max) {
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared == null || !declared.trim().matches("\\d+")) {
      return false;
    }
    try {
      return Long.parseLong(declared.trim()) > max;
    } catch (NumberFormatException tooLong) {
      return true;
    }
  }
}
