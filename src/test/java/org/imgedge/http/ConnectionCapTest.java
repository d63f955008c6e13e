package org.imgedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.imgedge.testing.RawConnection;
import org.imgedge.testing.RunningApp;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code http.maxConnections} and {@code http.idleBeforeFirstByteSeconds}: connections that send nothing
 * or sit idle cannot crowd out the ones that come to make a request.
 */
class ConnectionCapTest {

  private static final int CAP = 8;

  @RegisterExtension
  static final RunningApp app = new RunningApp(new JsonObject().put("http",
      new JsonObject().put("maxConnections", CAP).put("idleBeforeFirstByteSeconds", 2)));

  private final List<RawConnection> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(RawConnection::close);
  }

  @Test
  @DisplayName("past the cap, the oldest idle connection is closed to make room, and the others keep working")
  void shedsTheOldestIdle() {
    // whatever is open before this test is idle and older: these push it out
    List<RawConnection> earlier = idle(CAP);
    List<RawConnection> idle = idle(CAP);
    assertThat(earlier).allSatisfy(c -> assertThat(c.closedWithin(5_000)).as("an earlier idle connection").isNotNull());

    RawConnection late = open();
    assertThat(RawConnection.status(late.get("/health/live"))).isEqualTo(200);

    assertThat(idle.get(0).closedWithin(5_000)).as("the oldest idle connection").isNotNull();
    for (RawConnection c : idle.subList(1, CAP)) {
      assertThat(RawConnection.status(c.get("/health/live"))).as("a younger idle connection").isEqualTo(200);
    }
  }

  @Test
  @DisplayName("when every connection has a request under way, a new one is refused 503 problem+json with Retry-After")
  void refusesWhenAllAreBusy() {
    idle(CAP); // pushes out whatever was open before
    List<RawConnection> busy = new ArrayList<>();
    for (int i = 0; i < CAP; i++) {
      // an upload whose body has not come yet: its 100 Continue says the server has read the request
      RawConnection c = open();
      busy.add(c);
      String interim = c.send("POST /v1/images HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestApp.ALICE
          + "\r\nContent-Type: image/jpeg\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n").answer();
      assertThat(RawConnection.status(interim)).isEqualTo(100);
    }
    String refusal = open().closedWithin(5_000);
    assertThat(refusal).isNotNull().startsWith("HTTP/1.1 503 ").containsIgnoringCase("retry-after: 1")
        .contains("\"type\":\"urn:imgedge:error:too-many-connections\"");
    for (RawConnection c : busy) {
      // the bodies come: answered, the connections are idle again and the next test can push them out
      assertThat(RawConnection.status(c.send("x".repeat(1000)).answer())).isEqualTo(415);
    }
  }

  @Test
  @DisplayName("a connection that sends nothing is closed after http.idleBeforeFirstByteSeconds, unanswered")
  void silentConnectionIsClosed() {
    RawConnection silent = open();
    long start = System.nanoTime();
    String sent = silent.closedWithin(10_000);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(sent).as("closed within 10 s").isEqualTo("");
    assertThat(seconds).as("not before its deadline").isGreaterThan(1.5);
  }

  @Test
  @DisplayName("the first-byte deadline ends with the first byte: a slow but complete request is answered")
  void firstByteStopsTheDeadline() {
    RawConnection c = open().send("G");
    // longer than the 2 s first-byte deadline, shorter than the head's (10 s)
    assertThat(c.closedWithin(3_000)).as("open 3 s after its first byte").isNull();
    assertThat(RawConnection.status(c.send("ET /health/live HTTP/1.1\r\nHost: x\r\n\r\n").answer())).isEqualTo(200);
  }

  /** @return {@code n} new connections, in order, each idle after one answered request */
  private List<RawConnection> idle(int n) {
    List<RawConnection> connections = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      RawConnection c = open();
      assertThat(RawConnection.status(c.get("/health/live"))).isEqualTo(200);
      connections.add(c);
    }
    return connections;
  }

  private RawConnection open() {
    RawConnection c = RawConnection.open(app.get().port());
    opened.add(c);
    return c;
  }
}
