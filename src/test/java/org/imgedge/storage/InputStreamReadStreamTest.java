package org.imgedge.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The edges of {@link InputStreamReadStream} that the store contract does not reach. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class InputStreamReadStreamTest {

  @Test
  @DisplayName("a consumer that drops its handler part-way releases the input (e.g. the S3 connection)")
  void abandonedStreamClosesInput(Vertx vertx, VertxTestContext ctx) {
    AtomicBoolean closed = new AtomicBoolean();
    InputStream in = new ByteArrayInputStream(new byte[5 * InputStreamReadStream.CHUNK]) {
      @Override
      public void close() throws IOException {
        closed.set(true);
        super.close();
      }
    };
    vertx.runOnContext(v -> {
      InputStreamReadStream stream = new InputStreamReadStream(vertx.getOrCreateContext(), in);
      stream.pause();
      stream.endHandler(end -> ctx.failNow("the stream was abandoned, it must not end"));
      stream.handler(chunk -> ctx.verify(() -> {
        assertThat(chunk.length()).isEqualTo(InputStreamReadStream.CHUNK);
        stream.handler(null);
        assertThat(closed).isTrue();
        ctx.completeNow();
      }));
      stream.fetch(1);
    });
  }

  @Test
  @DisplayName("an empty input ends at once, and a failing one reports its error, both closing the input")
  void emptyAndFailingInputs(Vertx vertx, VertxTestContext ctx) {
    AtomicBoolean closed = new AtomicBoolean();
    InputStream failing = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("connection reset");
      }

      @Override
      public void close() {
        closed.set(true);
      }
    };
    vertx.runOnContext(v -> {
      Buffer got = Buffer.buffer();
      new InputStreamReadStream(vertx.getOrCreateContext(), new ByteArrayInputStream(new byte[0]))
          .endHandler(end -> new InputStreamReadStream(vertx.getOrCreateContext(), failing)
              .exceptionHandler(e -> ctx.verify(() -> {
                assertThat(e).hasMessage("connection reset");
                assertThat(got.length()).isZero();
                assertThat(closed).isTrue();
                ctx.completeNow();
              }))
              .handler(got::appendBuffer))
          .handler(got::appendBuffer);
    });
  }
}
