package org.imgedge.imaging.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** An ICC profile put into a JPEG the encoder made: one APP2 segment, after SOI and the JFIF APP0. */
public final class JpegIcc {

  private static final byte[] SIGNATURE = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
  /** A segment's length field counts itself; the signature, sequence number and count come before the profile. */
  private static final int MAX_PROFILE = 0xFFFF - 2 - SIGNATURE.length - 2;

  private JpegIcc() {}

  /** @param profile at most 65,519 bytes: the compact profiles the variants are tagged with */
  public static byte[] embed(byte[] jpeg, byte[] profile) {
    if (profile.length > MAX_PROFILE) {
      throw new IllegalArgumentException("a profile of " + profile.length + " bytes needs more than one segment");
    }
    int at = 2;
    if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
      at += 2 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
    }
    int segment = 2 + 2 + SIGNATURE.length + 2 + profile.length;
    ByteBuffer out = ByteBuffer.allocate(jpeg.length + segment);
    out.put(jpeg, 0, at);
    out.put((byte) 0xFF).put((byte) 0xE2).putShort((short) (segment - 2)).put(SIGNATURE).put((byte) 1).put((byte) 1).put(profile);
    out.put(jpeg, at, jpeg.length - at);
    return out.array();
  }
}
