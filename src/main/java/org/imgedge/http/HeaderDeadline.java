package org.imgedge.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deadline for each request's head (request line and headers), counted from its first byte: a
 * client that sends its headers a byte at a time (slowloris) is answered 408 and disconnected. A
 * keep-alive connection with no request under way has no deadline (the server's idle timeout governs
 * it), so thousands of idle connections are never cut by this.
 *
 * <p>Vert.x has no hook for "the first byte of a request arrived", so this puts two small Netty
 * handlers around Vert.x's HTTP/1 decoder: one before it sees raw bytes arrive while no head is
 * pending, one after it sees the decoded head (and the end of the body). The channel comes from
 * {@code io.vertx.core.http.impl.HttpServerConnection}, an internal interface: the narrowest one
 * that exposes it, and the only part of this that a Vert.x upgrade could break. If it or the decoder's
 * pipeline name ever disappears, the deadline is skipped with one warning and the server keeps working.
 */
final class HeaderDeadline {

  private static final Logger log = LoggerFactory.getLogger(HeaderDeadline.class);
  /** Vert.x's name for its HTTP/1 request decoder in the channel pipeline. */
  private static final String DECODER = "httpDecoder";
  private static final AtomicBoolean warned = new AtomicBoolean();
  private static final byte[] TIMEOUT_RESPONSE = timeoutResponse();
  private static final long NO_HEAD = Long.MIN_VALUE;

  private final long timeoutNanos;
  /** True between requests: the next byte that arrives starts a new head. */
  private boolean betweenRequests = true;
  /** When the head under way began (System.nanoTime), or {@link #NO_HEAD}. */
  private long headStartedAt = NO_HEAD;
  /**
   * Armed when a head begins and none is armed, and left armed when the head completes: a busy
   * keep-alive connection then costs a clock read per request, instead of a timer set and cancelled
   * (and left as garbage) in the event loop's timer heap, which also holds every idle connection's
   * idle-timeout task.
   */
  private ScheduledFuture<?> timer;

  private HeaderDeadline(long timeoutMillis) {
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
  }

  /** For {@code HttpServer.connectionHandler}: installs a deadline on the new connection. */
  static void install(HttpConnection connection, long timeoutMillis) {
    ChannelPipeline pipeline = connection instanceof HttpServerConnection c ? c.channelHandlerContext().pipeline() : null;
    if (pipeline == null || pipeline.get(DECODER) == null) {
      // a Vert.x whose internals moved: the idle timeout still applies
      if (warned.compareAndSet(false, true)) {
        log.warn("cannot find Vert.x's HTTP decoder in the pipeline: request header deadlines are off");
      }
      return;
    }
    HeaderDeadline state = new HeaderDeadline(timeoutMillis);
    pipeline.addBefore(DECODER, "imgedgeHeadStart", state.new HeadStart());
    pipeline.addAfter(DECODER, "imgedgeHeadEnd", state.new HeadEnd());
  }

  private final class HeadStart extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (betweenRequests && msg instanceof ByteBuf bytes && bytes.isReadable()) {
        betweenRequests = false;
        headStartedAt = System.nanoTime();
        if (timer == null) {
          arm(ctx, timeoutNanos);
        }
      }
      super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
      super.channelInactive(ctx);
    }
  }

  private final class HeadEnd extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof HttpRequest) {
        headStartedAt = NO_HEAD; // the head is complete; the body has its own minimum rate (BodyRateGuard)
      }
      if (msg instanceof LastHttpContent) {
        betweenRequests = true;
      }
      super.channelRead(ctx, msg);
    }
  }

  private static byte[] timeoutResponse() {
    String body = "{\"type\":\"urn:imgedge:error:request-timeout\",\"title\":\"Request sent too slowly\",\"status\":408,"
        + "\"detail\":\"The request headers did not arrive in time; the connection is closed.\"}";
    return ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/problem+json\r\nCache-Control: no-store\r\n"
        + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
  }

  private void arm(ChannelHandlerContext ctx, long delayNanos) {
    timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  /** The timer fired: expire a head that is late, wait for the rest of the time of one that is not. */
  private void check(ChannelHandlerContext ctx) {
    timer = null;
    if (headStartedAt == NO_HEAD) {
      return; // between requests, or in a body: the next head arms the timer again
    }
    long left = headStartedAt + timeoutNanos - System.nanoTime();
    if (left > 0) {
      arm(ctx, left);
    } else {
      expire(ctx);
    }
  }

  private void expire(ChannelHandlerContext ctx) {
    // written below the encoder: Vert.x has no request yet to answer through
    ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT_RESPONSE)).addListener(f -> ctx.channel().close());
  }
}
