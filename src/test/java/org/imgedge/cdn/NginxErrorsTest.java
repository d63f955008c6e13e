package org.imgedge.cdn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.imgedge.testing.NginxServer;
import org.imgedge.testing.Ports;
import org.imgedge.testing.RawConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** conf/nginx.conf answers its own errors in the service's problem+json shape, so apps parse one kind of error. */
@Timeout(60)
class NginxErrorsTest {

  private static NginxServer nginx;

  @BeforeAll
  static void start() throws Exception {
    // no node behind it: a port nothing listens on
    nginx = NginxServer.start(Ports.free(), Ports.free());
  }

  @AfterAll
  static void stop() throws Exception {
    if (nginx != null) {
      nginx.close();
    }
  }

  @Test
  @DisplayName("no node answering: 502 problem+json with Retry-After, on the API and on a variant URL")
  void badGateway() {
    for (String path : new String[] {"/v1/images", "/v1/images/0192f6c1-0000-7000-8000-000000000000/small.jpg"}) {
      try (RawConnection c = RawConnection.open(nginx.port())) {
        String answer = c.get(path);
        assertThat(RawConnection.status(answer)).as(path).isEqualTo(502);
        assertThat(RawConnection.header(answer, "content-type")).isEqualTo("application/problem+json");
        assertThat(RawConnection.header(answer, "retry-after")).isEqualTo("5");
        assertThat(RawConnection.header(answer, "x-content-type-options")).isEqualTo("nosniff");
        JsonObject problem = body(answer);
        assertThat(problem.getString("type")).isEqualTo("urn:imgedge:error:bad-gateway");
        assertThat(problem.getInteger("status")).isEqualTo(502);
        assertThat(problem.getString("title")).isNotBlank();
        assertThat(problem.getString("detail")).isNotBlank();
        assertThat(problem.getString("requestId")).isEqualTo(RawConnection.header(answer, "x-request-id")).isNotBlank();
      }
    }
  }

  @Test
  @DisplayName("a body over client_max_body_size: 413 problem+json (payload-too-large), without Retry-After")
  void tooLarge() {
    try (RawConnection c = RawConnection.open(nginx.port())) {
      String answer = c.send("POST /v1/images HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\n"
          + "Content-Length: " + (60L * 1024 * 1024) + "\r\n\r\n").answer();
      assertThat(RawConnection.status(answer)).isEqualTo(413);
      assertThat(RawConnection.header(answer, "content-type")).isEqualTo("application/problem+json");
      assertThat(RawConnection.header(answer, "retry-after")).isNull();
      JsonObject problem = body(answer);
      assertThat(problem.getString("type")).isEqualTo("urn:imgedge:error:payload-too-large");
      assertThat(problem.getInteger("status")).isEqualTo(413);
      assertThat(problem.getString("requestId")).isNotBlank();
    }
  }

  private static JsonObject body(String answer) {
    return new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
  }
}
