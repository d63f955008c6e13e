package org.imgedge.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * A valid PNG of one flat colour at any size, written row by row: a huge picture in a small file
 * (14000x14000 RGB is about 600 KB) without the test ever holding its pixels.
 */
public final class FlatPng {

  private FlatPng() {}

  /** 8-bit RGB. */
  public static byte[] rgb(int width, int height) {
    return png(width, height, 8, 2, 3);
  }

  /** 16-bit RGBA, half transparent. */
  public static byte[] rgba16(int width, int height) {
    return png(width, height, 16, 6, 8);
  }

  private static byte[] png(int width, int height, int bitDepth, int colourType, int bytesPerPixel) {
    try {
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      file.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
      ByteArrayOutputStream header = new ByteArrayOutputStream();
      DataOutputStream h = new DataOutputStream(header);
      h.writeInt(width);
      h.writeInt(height);
      h.write(new byte[] {(byte) bitDepth, (byte) colourType, 0, 0, 0});
      chunk(file, "IHDR", header.toByteArray());
      ByteArrayOutputStream pixels = new ByteArrayOutputStream();
      byte[] row = new byte[1 + width * bytesPerPixel]; // filter byte 0, then the samples
      for (int i = 1; i < row.length; i++) {
        row[i] = (byte) (i % bytesPerPixel == 0 ? 0x80 : 0x40 + i % bytesPerPixel * 16);
      }
      try (DeflaterOutputStream z = new DeflaterOutputStream(pixels)) {
        for (int y = 0; y < height; y++) {
          z.write(row);
        }
      }
      chunk(file, "IDAT", pixels.toByteArray());
      chunk(file, "IEND", new byte[0]);
      return file.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(data.length);
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    d.write(name);
    d.write(data);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }
}
