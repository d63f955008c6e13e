package org.imgedge.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Tells the format from the magic bytes only: file names and declared content types are what a client says,
 * not what the bytes are.
 */
public final class FormatSniffer {

  /** Enough for every signature we know: an ISO BMFF {@code ftyp} box with a few compatible brands. */
  public static final int HEAD_BYTES = 64;

  private static final Set<String> HEIC_BRANDS = Set.of("heic", "heix", "heim", "heis", "hevc", "hevx");
  private static final Set<String> AVIF_BRANDS = Set.of("avif", "avis");

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private FormatSniffer() {}

  /** @param head the first bytes of the file (up to {@link #HEAD_BYTES}; fewer when the file is shorter) */
  public static Optional<ImageFormat> sniff(byte[] head) {
    if (head.length >= 3 && u8(head, 0) == 0xFF && u8(head, 1) == 0xD8 && u8(head, 2) == 0xFF) {
      return Optional.of(ImageFormat.JPEG);
    }
    if (startsWith(head, 0, PNG)) {
      return Optional.of(ImageFormat.PNG);
    }
    if (ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a")) {
      return Optional.of(ImageFormat.GIF);
    }
    if (ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) {
      return Optional.of(ImageFormat.WEBP);
    }
    if (ascii(head, 4, "ftyp")) {
      return heif(head);
    }
    return Optional.empty();
  }

  /**
   * An ISO BMFF file is HEIC or AVIF by the brands of its {@code ftyp} box: the major brand, or a
   * compatible one when the major is the generic {@code mif1} or {@code msf1}. An MP4 video or a QuickTime
   * file has other brands and stays unknown.
   */
  private static Optional<ImageFormat> heif(byte[] head) {
    long boxSize = (u8(head, 0) << 24 | u8(head, 1) << 16 | u8(head, 2) << 8 | u8(head, 3)) & 0xFFFFFFFFL;
    int end = (int) Math.min(head.length, Math.max(16, boxSize));
    Set<String> brands = new LinkedHashSet<>();
    if (head.length >= 12) {
      brands.add(text(head, 8));
    }
    for (int at = 16; at + 4 <= end; at += 4) {
      brands.add(text(head, at));
    }
    if (brands.stream().anyMatch(AVIF_BRANDS::contains)) {
      return Optional.of(ImageFormat.AVIF);
    }
    if (brands.stream().anyMatch(HEIC_BRANDS::contains)) {
      return Optional.of(ImageFormat.HEIC);
    }
    return Optional.empty();
  }

  private static String text(byte[] b, int at) {
    return new String(b, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  public static Optional<ImageFormat> sniff(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sniff(in.readNBytes(HEAD_BYTES));
    }
  }

  private static boolean ascii(byte[] b, int at, String text) {
    if (b.length < at + text.length()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (b[at + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] b, int at, byte[] magic) {
    if (b.length < at + magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (b[at + i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static int u8(byte[] b, int at) {
    return b[at] & 0xFF;
  }
}
