package org.imgedge.testing;

import java.io.ByteArrayOutputStream;

/**
 * Writes a valid progressive JPEG of a flat grey picture with as many scans as the standard allows:
 * one DC scan, then for each of the 3 components and each of the 63 AC coefficients its own band, sent
 * at 14 successive approximations (a first scan with Al = 13, then refinements down to Al = 0). That is
 * 1 + 3 x 63 x 14 = 2,647 scans. Every AC scan codes the whole component as runs of empty blocks, so the
 * file stays small (about 3 bits per 8x8 block plus 40 bytes per scan) while a decoder walks all the blocks
 * in every scan.
 */
public final class ManyScansJpeg {

  public static final int SCANS = 1 + 3 * 63 * 14;

  private ManyScansJpeg() {}

  public static byte[] create(int width, int height) {
    return create(width, height, SCANS);
  }

  /** The same picture with its first {@code scans} scans only: a valid progression at any count from 1 to {@link #SCANS}. */
  public static byte[] create(int width, int height, int scans) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    marker(out, 0xD8);
    // DQT: table 0, all ones (the picture is flat; only the structure matters)
    segment(out, 0xDB, concat(new byte[] {0}, filled(64, 1)));
    // SOF2 progressive, 8-bit, three components sampled 1x1, all on quantisation table 0
    segment(out, 0xC2, new byte[] {8, (byte) (height >> 8), (byte) height, (byte) (width >> 8), (byte) width, 3,
        1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0});
    // DHT DC 0: the one symbol "difference category 0", code 0 (1 bit)
    segment(out, 0xC4, concat(new byte[] {0x00, 1}, filled(15, 0), new byte[] {0}));
    // DHT AC 0: the end-of-band-run symbols EOB0..EOB14 (0x00, 0x10 .. 0xE0), 4-bit codes 0000..1110
    byte[] eobSymbols = new byte[15];
    for (int r = 0; r < 15; r++) {
      eobSymbols[r] = (byte) (r << 4);
    }
    segment(out, 0xC4, concat(new byte[] {0x10, 0, 0, 0, 15}, filled(12, 0), eobSymbols));

    int blocks = ((width + 7) / 8) * ((height + 7) / 8);
    // DC first scan, interleaved: every block's DC difference is category 0 (one 0 bit each)
    segment(out, 0xDA, new byte[] {3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 0, 0});
    BitWriter dc = new BitWriter();
    for (int i = 0; i < 3 * blocks; i++) {
      dc.bits(0, 1);
    }
    out.writeBytes(dc.finish());
    byte[] emptyBand = emptyBlocks(blocks);
    int written = 1;
    for (int component = 1; component <= 3; component++) {
      for (int k = 1; k <= 63; k++) {
        for (int al = 13; al >= 0 && written++ < scans; al--) {
          int ah = al == 13 ? 0 : al + 1;
          segment(out, 0xDA, new byte[] {1, (byte) component, 0x00, (byte) k, (byte) k, (byte) (ah << 4 | al)});
          out.writeBytes(emptyBand);
        }
      }
    }
    marker(out, 0xD9);
    return out.toByteArray();
  }

  /** {@code blocks} empty blocks as end-of-band runs of at most 32,767 blocks (EOB14 + 14 extra bits). */
  private static byte[] emptyBlocks(int blocks) {
    BitWriter w = new BitWriter();
    for (int left = blocks; left > 0; ) {
      int run = Math.min(left, 32_767);
      int r = 31 - Integer.numberOfLeadingZeros(run);
      w.bits(r, 4);
      w.bits(run - (1 << r), r);
      left -= run;
    }
    return w.finish();
  }

  /** Entropy-coded bits, most significant first, with 0xFF stuffed and the last byte padded with ones. */
  private static final class BitWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int current;
    private int used;

    void bits(int value, int count) {
      for (int i = count - 1; i >= 0; i--) {
        current = current << 1 | (value >> i & 1);
        if (++used == 8) {
          flush();
        }
      }
    }

    byte[] finish() {
      while (used != 0) {
        bits(1, 1);
      }
      return out.toByteArray();
    }

    private void flush() {
      out.write(current);
      if (current == 0xFF) {
        out.write(0);
      }
      current = 0;
      used = 0;
    }
  }

  private static void marker(ByteArrayOutputStream out, int marker) {
    out.write(0xFF);
    out.write(marker);
  }

  private static void segment(ByteArrayOutputStream out, int marker, byte[] body) {
    marker(out, marker);
    out.write((body.length + 2) >> 8);
    out.write(body.length + 2);
    out.writeBytes(body);
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
