package org.imgedge.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The corpus's iPhone HEICs with their declared sizes changed: what libheif 1.15 crashes on, or decodes bigger than declared. */
public final class HostileHeif {

  private HostileHeif() {}

  /**
   * iphone-img-2927.heic with its tile grid's descriptor (the item data in {@code idat}) declaring an output of
   * {@code width}x{@code height} over the same 48 tiles of 512x512.
   */
  public static byte[] gridDeclaring(int width, int height) {
    byte[] heic = Corpus.bytes(Corpus.file("heic", "iphone-img-2927.heic"));
    // after the box header: version, flags, rows - 1, columns - 1, then the output width and height
    int idat = new String(heic, StandardCharsets.ISO_8859_1).indexOf("idat");
    ByteBuffer.wrap(heic, idat + 8, 4).putShort((short) width).putShort((short) height);
    return heic;
  }

  /** {@code heic} with every {@code ispe} box that declares {@code from} (width, height) declaring {@code to} instead. */
  public static byte[] withIspe(byte[] heic, int[] from, int[] to) {
    byte[] out = heic.clone();
    for (int i = 4; i + 16 <= out.length; i++) {
      if (out[i] == 'i' && out[i + 1] == 's' && out[i + 2] == 'p' && out[i + 3] == 'e') {
        // after the type: version and flags, then width and height
        ByteBuffer box = ByteBuffer.wrap(out, i + 8, 8);
        if (from == null || box.getInt(i + 8) == from[0] && box.getInt(i + 12) == from[1]) {
          box.putInt(to[0]).putInt(to[1]);
        }
      }
    }
    return out;
  }
}
