package org.imgedge.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.List;
import org.imgedge.problem.ProblemType;

/**
 * Vert.x's HTTP/1 request decoder, except for a request with both {@code Content-Length} and
 * {@code Transfer-Encoding: chunked}. Netty reads such a request by its chunks, drops the
 * Content-Length and keeps the connection. A front end that frames by Content-Length would then see
 * different requests in the same bytes (request smuggling, RFC 9112 6.3). Here it is an invalid
 * request instead: {@link Framing} answers 400 and closes the connection.
 *
 * <p>A chunked body whose framing breaks (a chunk size that is not a number) is also answered here,
 * with 400 and a closed connection. Its request has already gone on to Vert.x, which would only close
 * the connection without a word, so the answer is written from here and the rest is never read.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  /** The decoder's reason, recognised by {@link Framing} to say what was wrong. */
  static final class AmbiguousLength extends IllegalArgumentException {
    AmbiguousLength() {
      super("both Content-Length and Transfer-Encoding");
    }
  }

  private static final byte[] MALFORMED_BODY = ProblemFailureHandler.closingAnswer(ProblemType.BAD_REQUEST,
      "The chunked body is malformed; the connection is closed.", 0);

  private StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  /** Replaces Vert.x's decoder of a new connection, before it has read a byte. */
  static void install(ChannelPipeline pipeline, HttpServerOptions options) {
    pipeline.replace(ConnectionPipeline.DECODER, ConnectionPipeline.DECODER, new StrictRequestDecoder(options));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
    int before = out.size();
    super.decode(ctx, buffer, out);
    for (int i = before; i < out.size(); i++) {
      if (out.get(i) instanceof HttpContent content && !(content instanceof HttpRequest) && content.decoderResult().isFailure()) {
        while (out.size() > i) {
          ReferenceCountUtil.release(out.remove(out.size() - 1));
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(MALFORMED_BODY)).addListener(f -> ctx.channel().close());
        return;
      }
    }
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw new AmbiguousLength();
  }
}
