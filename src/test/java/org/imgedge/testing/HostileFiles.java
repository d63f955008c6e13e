package org.imgedge.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** Small crafted files for hostile-input tests: EXIF that loops or bloats, polyglot trailers, headers without data. */
public final class HostileFiles {

  private static final int ORIENTATION = 0x0112;
  private static final int EXIF_IFD = 0x8769;

  private HostileFiles() {}

  /** A real 64x48 baseline JPEG with a gradient that depends on {@code seed}. */
  public static byte[] jpeg(int seed) {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        image.setRGB(x, y, (x * 4 + seed) << 16 | (y * 5) << 8 | (seed * 7 & 0xFF));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "jpg", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code jpeg} with the given APP1 segments inserted right after SOI. */
  public static byte[] withApp1(byte[] jpeg, byte[]... tiffs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    for (byte[] tiff : tiffs) {
      int length = 2 + 6 + tiff.length;
      out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
      out.writeBytes("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(tiff);
    }
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  /** IFD0 whose EXIF sub-IFD pointer and next-IFD link both point back at IFD0 itself. */
  public static byte[] selfReferencingIfd() {
    ByteBuffer b = tiff(2 + 2 * 12 + 4);
    b.putShort((short) 2);
    entry(b, ORIENTATION, 3, 1, 6 << 16);
    entry(b, EXIF_IFD, 4, 1, 8);
    b.putInt(8);
    return b.array();
  }

  /** IFD0 with {@code entries} distinct ASCII entries (12 bytes each; 5,000 nearly fill a segment). */
  public static byte[] manyEntries(int entries) {
    ByteBuffer b = tiff(2 + entries * 12 + 4);
    b.putShort((short) entries);
    for (int i = 0; i < entries; i++) {
      entry(b, 0x1000 + i, 2, 4, 0x61626300); // "abc\0", inline
    }
    b.putInt(0);
    return b.array();
  }

  /** IFD0 entries that claim a billion values each, stored at an offset inside the segment. */
  public static byte[] hugeCounts() {
    int entries = 16;
    ByteBuffer b = tiff(2 + entries * 12 + 4);
    b.putShort((short) entries);
    for (int i = 0; i < entries; i++) {
      entry(b, i == 0 ? ORIENTATION : 0x010E + i, i % 2 == 0 ? 4 : 5, 0x3FFF_FFFF, 8);
    }
    b.putInt(0);
    return b.array();
  }

  /** A chain of {@code depth} EXIF sub-IFDs, each pointing at the next: deep recursion for a naive reader. */
  public static byte[] deepChain(int depth) {
    ByteBuffer b = tiff(depth * 18);
    for (int i = 0; i < depth; i++) {
      int next = 8 + (i + 1) * 18;
      b.putShort((short) 1);
      entry(b, EXIF_IFD, 4, 1, i + 1 < depth ? next : 8);
      b.putInt(0);
    }
    return b.array();
  }

  /** A ZIP archive holding one HTML page, as appended to a JPEG to make a polyglot. */
  public static byte[] zip() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("index.html"));
      zip.write(html().getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static String html() {
    return "<html><body><script>alert(document.cookie)</script></body></html>\n";
  }

  /** A big-endian TIFF header ("MM", 42, IFD0 at offset 8) with room for {@code body} more bytes. */
  private static ByteBuffer tiff(int body) {
    ByteBuffer b = ByteBuffer.allocate(8 + body);
    b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
    return b;
  }

  private static void entry(ByteBuffer b, int tag, int type, int count, int value) {
    b.putShort((short) tag).putShort((short) type).putInt(count).putInt(value);
  }
}
