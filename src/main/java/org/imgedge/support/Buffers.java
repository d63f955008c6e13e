package org.imgedge.support;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/** Buffers for bytes that are sent many times. */
public final class Buffers {

  private Buffers() {}

  /**
   * The socket writes a heap buffer by first copying it into native memory, on every response. Bytes
   * that are cached and sent again and again are copied once, here. The copy cannot be released by
   * Netty; the JDK frees it when it is no longer reachable, like any heap object.
   */
  public static Buffer offHeap(Buffer bytes) {
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length());
    direct.put(((BufferInternal) bytes).getByteBuf().nioBuffer()).flip();
    return BufferInternal.buffer(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct)));
  }
}
