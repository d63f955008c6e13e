package org.imgedge.storage;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.Abortable;

/**
 * A blocking {@link InputStream} as a Vert.x stream: chunks are read on a worker, one at a time and
 * only while there is demand, and handed out on the owning context. The input is closed at the end, on
 * the first error, or when the handler is set back to null (a pipe does that when its destination
 * fails), so an abandoned download does not hold its connection.
 *
 * <p>Invariant: every field is read and written on {@code context} only.
 */
final class InputStreamReadStream implements ReadStream<Buffer> {

  private static final Logger log = LoggerFactory.getLogger(InputStreamReadStream.class);
  static final int CHUNK = 64 * 1024;

  private final Context context;
  private final InputStream in;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE; // flowing until paused, as the ReadStream contract says
  private boolean reading;
  private boolean done;
  private Buffer pending; // a chunk that arrived after pause(); delivered before the next read

  InputStreamReadStream(Context context, InputStream in) {
    this.context = context;
    this.in = in;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    if (handler == null && this.handler != null && !done) {
      done = true;
      pending = null;
      if (!reading) {
        abandon(); // else onChunk does it: never close under a read in progress
      }
    }
    this.handler = handler;
    readMore();
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    demand = 0;
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    if (amount > 0) {
      demand = demand > Long.MAX_VALUE - amount ? Long.MAX_VALUE : demand + amount;
      readMore();
    }
    return this;
  }

  private void readMore() {
    if (pending != null && demand > 0 && handler != null) {
      Buffer chunk = pending;
      pending = null;
      deliver(chunk);
    }
    if (reading || done || pending != null || demand == 0 || handler == null) {
      return;
    }
    reading = true;
    // unordered: downloads of other requests on the same event loop must not queue behind this one
    context.executeBlocking(this::readChunk, false).onComplete(this::onChunk);
  }

  /** Blocking: up to one chunk, or null at the end of the input. */
  private Buffer readChunk() throws IOException {
    byte[] buf = new byte[CHUNK];
    int n = in.readNBytes(buf, 0, CHUNK);
    return n == 0 ? null : Buffer.buffer(n == CHUNK ? buf : Arrays.copyOf(buf, n));
  }

  private void onChunk(AsyncResult<Buffer> result) {
    reading = false;
    if (done) {
      abandon(); // abandoned while this chunk was being read
    } else if (result.failed()) {
      finish();
      if (exceptionHandler != null) {
        exceptionHandler.handle(result.cause());
      } else {
        log.warn("stream read failed with no exception handler: {}", result.cause().toString());
      }
    } else if (result.result() == null) {
      finish();
      if (endHandler != null) {
        endHandler.handle(null);
      }
    } else if (demand == 0 || handler == null) {
      pending = result.result();
    } else {
      deliver(result.result());
      readMore();
    }
  }

  private void deliver(Buffer chunk) {
    if (demand != Long.MAX_VALUE) {
      demand--;
    }
    handler.handle(chunk);
  }

  private void finish() {
    done = true;
    closeInput();
  }

  /** Drops the rest of the input: an SDK response is aborted, since closing it may first read it all. */
  private void abandon() {
    if (in instanceof Abortable a) {
      a.abort();
    }
    closeInput();
  }

  private void closeInput() {
    try {
      in.close();
    } catch (IOException e) {
      log.debug("closing the input failed: {}", e.toString());
    }
  }
}
