package org.imgedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import org.imgedge.testing.RawConnection;
import org.imgedge.testing.RunningApp;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code http.cors.origins: ["*"]}: any page may call, never with credentials, and an opaque origin is served plainly. */
@Timeout(60)
class AnyOriginCorsTest {

  @RegisterExtension
  static final RunningApp app = new RunningApp(new JsonObject()
      .put("http", new JsonObject().put("cors", new JsonObject().put("origins", new JsonArray().add("*")))));

  @Test
  @DisplayName("with \"*\" any origin gets CORS headers without credentials; the opaque origin \"null\" is served without them")
  void anyOrigin() {
    try (RawConnection c = RawConnection.open(app.get().port())) {
      String preflight = c.send("OPTIONS /v1/images HTTP/1.1\r\nHost: x\r\nOrigin: https://anyone.example\r\n"
          + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization\r\n\r\n").answer();
      assertThat(RawConnection.status(preflight)).isEqualTo(204);
      assertThat(preflight.toLowerCase(Locale.ROOT)).contains("access-control-allow-origin: ").doesNotContain("allow-credentials");
      String opaque = c.send("GET /v1/images HTTP/1.1\r\nHost: x\r\nOrigin: null\r\nAuthorization: Bearer " + TestApp.ALICE
          + "\r\n\r\n").answer();
      assertThat(RawConnection.status(opaque)).isEqualTo(200);
      assertThat(opaque.toLowerCase(Locale.ROOT)).doesNotContain("access-control-");
    }
  }
}
