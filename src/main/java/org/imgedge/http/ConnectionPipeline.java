package org.imgedge.http;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty pipeline of a new HTTP/1 connection, for the guards that Vert.x has no hook for (a deadline
 * before the first byte and for each head, the connection cap, the stricter request decoder).
 *
 * <p>The channel comes from {@code io.vertx.core.http.impl.HttpServerConnection}, an internal interface:
 * the narrowest one that exposes it, and the only part of this that a Vert.x upgrade could break. If it
 * or the decoder's pipeline name ever disappears, the guards are skipped with one warning and the server
 * keeps working.
 */
final class ConnectionPipeline {

  /** Vert.x's names for its HTTP/1 request decoder and response encoder in the channel pipeline. */
  static final String DECODER = "httpDecoder";
  static final String ENCODER = "httpEncoder";

  private static final Logger log = LoggerFactory.getLogger(ConnectionPipeline.class);
  private static final AtomicBoolean warned = new AtomicBoolean();

  private ConnectionPipeline() {}

  static Optional<ChannelPipeline> of(HttpConnection connection) {
    ChannelPipeline pipeline = connection instanceof HttpServerConnection c ? c.channelHandlerContext().pipeline() : null;
    if (pipeline == null || pipeline.get(DECODER) == null || pipeline.get(ENCODER) == null) {
      if (warned.compareAndSet(false, true)) {
        log.warn("cannot find Vert.x's HTTP codec in the pipeline: header deadlines, the connection cap and the"
            + " Content-Length + Transfer-Encoding refusal are off");
      }
      return Optional.empty();
    }
    return Optional.of(pipeline);
  }
}
