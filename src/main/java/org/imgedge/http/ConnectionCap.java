package org.imgedge.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.LinkedHashSet;
import java.util.Set;
import org.imgedge.problem.ProblemType;

/**
 * A cap on the open connections of all the HTTP verticles ({@code http.maxConnections}), so clients
 * that connect and send nothing, or little, cannot use up the process's file descriptors and with them
 * the health checks, uploads and the database's connections.
 *
 * <p>A connection is idle while none of its requests waits for its answer. When a new connection would
 * pass the cap, the oldest idle connection is closed to make room: its client reconnects when it next
 * needs one, as it does after an idle timeout. Only when every connection has a request under way
 * is the new one refused, with a 503 and Retry-After.
 */
public final class ConnectionCap {

  private static final byte[] REFUSAL = ProblemFailureHandler.closingAnswer(ProblemType.TOO_MANY_CONNECTIONS,
      "The server has as many connections open as it accepts, and all of them are busy; retry shortly.", 1);

  private final int max;
  /**
   * The open connections, oldest first. Guarded by itself: it changes only when a connection opens or
   * closes, never per request.
   */
  private final Set<Watched> open = new LinkedHashSet<>();

  public ConnectionCap(int max) {
    this.max = max;
  }

  /**
   * On a new connection: makes room for it, or refuses it.
   *
   * @return false when it was refused (and is closing)
   */
  boolean admit(ChannelPipeline pipeline) {
    Channel channel = pipeline.channel();
    Watched watched = new Watched(channel);
    if (!enter(watched)) {
      // written below Vert.x's encoder, which would refuse raw bytes: there is no request to answer through
      pipeline.context(ConnectionPipeline.DECODER).writeAndFlush(Unpooled.wrappedBuffer(REFUSAL)).addListener(f -> channel.close());
      return false;
    }
    channel.closeFuture().addListener(f -> {
      synchronized (open) {
        open.remove(watched);
      }
    });
    pipeline.addAfter(ConnectionPipeline.DECODER, "imgedgeRequestSeen", watched.new RequestSeen());
    pipeline.addAfter(ConnectionPipeline.ENCODER, "imgedgeResponseEnd", watched.new ResponseEnd());
    return true;
  }

  /** For the metrics. */
  public int open() {
    synchronized (open) {
      return open.size();
    }
  }

  /** @return false when the cap is reached and no connection is idle to be closed for room */
  private boolean enter(Watched entering) {
    Watched oldestIdle = null;
    synchronized (open) {
      if (open.size() >= max) {
        for (Watched w : open) {
          if (!w.busy) {
            oldestIdle = w;
            break;
          }
        }
        if (oldestIdle == null) {
          return false;
        }
        // gone from the count now, so the next accept does not pick it again while it closes
        open.remove(oldestIdle);
      }
      open.add(entering);
    }
    if (oldestIdle != null) {
      oldestIdle.channel.close();
    }
    return true;
  }

  /** One connection's requests in flight; written on its event loop, read by the others when they shed. */
  private static final class Watched {
    final Channel channel;
    /** From reading a request to writing the end of its answer (of the last one, when the client pipelines). */
    volatile boolean busy;
    /** Requests read and not yet answered in full: more than one when the client pipelines. */
    int unanswered;

    Watched(Channel channel) {
      this.channel = channel;
    }

    /** After the decoder: a request has been read. */
    final class RequestSeen extends ChannelInboundHandlerAdapter {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest && unanswered++ == 0) {
          busy = true;
        }
        super.channelRead(ctx, msg);
      }
    }

    /** Before the encoder: the last part of an answer is written (an interim 1xx answer does not count). */
    final class ResponseEnd extends ChannelDuplexHandler {
      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent && !(msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL)
            && unanswered > 0 && --unanswered == 0) {
          busy = false;
        }
        super.write(ctx, msg, promise);
      }
    }
  }
}
