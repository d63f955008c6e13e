package org.imgedge.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.imgedge.problem.ProblemType;

/**
 * Two deadlines for what a client sends before the server can act. A new connection must send its
 * first byte within {@code http.idleBeforeFirstByteSeconds}, or it is closed without an answer: no
 * request was made. Then each request's head (request line and headers) must be complete
 * {@code http.headerTimeoutSeconds} after its first byte: a client that sends its headers a byte at a
 * time (slowloris) is answered 408 and disconnected. A keep-alive connection with no request under way
 * has no deadline (the server's idle timeout governs it), so thousands of idle connections are never
 * cut by this.
 *
 * <p>Vert.x has no hook for "the first byte of a request arrived", so this puts two small Netty
 * handlers around Vert.x's HTTP/1 decoder: one before it sees raw bytes arrive while no head is
 * pending, one after it sees the decoded head (and the end of the body).
 */
final class HeaderDeadline {

  private static final byte[] TIMEOUT_RESPONSE = ProblemFailureHandler.closingAnswer(ProblemType.REQUEST_TIMEOUT,
      "The request headers did not arrive in time; the connection is closed.", 0);
  private static final long NO_HEAD = Long.MIN_VALUE;

  private final long timeoutNanos;
  private final long firstByteTimeoutNanos;
  /** When the connection opened (System.nanoTime), until its first byte arrives; then {@link #NO_HEAD}. */
  private long openedAt;
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

  private HeaderDeadline(long timeoutMillis, long firstByteTimeoutMillis) {
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.firstByteTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(firstByteTimeoutMillis);
  }

  /** Installs both deadlines on a new connection, which has not read a byte yet. */
  static void install(ChannelPipeline pipeline, long timeoutMillis, long firstByteTimeoutMillis) {
    HeaderDeadline state = new HeaderDeadline(timeoutMillis, firstByteTimeoutMillis);
    pipeline.addBefore(ConnectionPipeline.DECODER, "imgedgeHeadStart", state.new HeadStart());
    pipeline.addAfter(ConnectionPipeline.DECODER, "imgedgeHeadEnd", state.new HeadEnd());
    state.openedAt = System.nanoTime();
    state.arm(pipeline.context("imgedgeHeadStart"), state.firstByteTimeoutNanos);
  }

  private final class HeadStart extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (betweenRequests && msg instanceof ByteBuf bytes && bytes.isReadable()) {
        betweenRequests = false;
        headStartedAt = System.nanoTime();
        if (openedAt != NO_HEAD) {
          // the connection's first byte: its timer was set for the first-byte deadline, maybe later than the head's
          openedAt = NO_HEAD;
          timer.cancel(false);
          timer = null;
        }
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

  private void arm(ChannelHandlerContext ctx, long delayNanos) {
    timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  /** The timer fired: expire a head that is late, wait for the rest of the time of one that is not. */
  private void check(ChannelHandlerContext ctx) {
    timer = null;
    if (openedAt != NO_HEAD) {
      long left = openedAt + firstByteTimeoutNanos - System.nanoTime();
      if (left > 0) {
        arm(ctx, left);
      } else {
        ctx.channel().close(); // nothing was asked, so nothing is answered
      }
      return;
    }
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
