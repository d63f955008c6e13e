package org.imgedge.imaging;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.imgedge.imaging.codec.IccProfile;

/**
 * The ICC profile an original carries in its container, read without decoding: JPEG's APP2 segments (a
 * profile may be split over several), PNG's {@code iCCP} chunk, WebP's {@code ICCP} chunk. HEIF's
 * {@code colr} comes from libheif ({@link HeifSource}).
 *
 * <p>A profile that cannot be put together is returned as it was found; LittleCMS then refuses it, and the
 * picture is treated as sRGB.
 */
final class EmbeddedIcc {

  private static final byte[] JPEG_ICC = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);

  private EmbeddedIcc() {}

  /** @return the profile's bytes, or empty when there is none (or the container breaks off before it) */
  static Optional<byte[]> read(Path file, ImageFormat format) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      DataInputStream data = new DataInputStream(in);
      return switch (format) {
        case JPEG -> jpeg(data);
        case PNG -> png(data);
        case WEBP -> webp(data);
        case GIF, HEIC, AVIF -> Optional.empty();
      };
    } catch (IOException e) {
      // the container ends before its picture (EOFException), or the file went: the decode will say so
      return Optional.empty();
    }
  }

  /** Segments up to the first scan; each APP2 profile chunk has its sequence number and the count. */
  private static Optional<byte[]> jpeg(DataInputStream in) throws IOException {
    in.skipNBytes(2); // SOI
    TreeMap<Integer, byte[]> chunks = new TreeMap<>();
    long total = 0;
    while (true) {
      int marker = in.readUnsignedByte();
      if (marker != 0xFF) {
        break;
      }
      int type = in.readUnsignedByte();
      while (type == 0xFF) {
        type = in.readUnsignedByte(); // fill bytes
      }
      if (type == 0xDA || type == 0xD9) {
        break; // start of scan, or end of image
      }
      if (type == 0x01 || (type >= 0xD0 && type <= 0xD7)) {
        continue; // markers without a length
      }
      int length = in.readUnsignedShort() - 2;
      if (length < 0) {
        break;
      }
      if (type == 0xE2 && length > JPEG_ICC.length + 2) {
        byte[] segment = in.readNBytes(length);
        if (Arrays.equals(segment, 0, JPEG_ICC.length, JPEG_ICC, 0, JPEG_ICC.length)) {
          total += segment.length - JPEG_ICC.length - 2;
          if (total > IccProfile.MAX_BYTES) {
            return Optional.empty();
          }
          chunks.put(segment[JPEG_ICC.length] & 0xFF, Arrays.copyOfRange(segment, JPEG_ICC.length + 2, segment.length));
        }
      } else {
        in.skipNBytes(length);
      }
    }
    if (chunks.isEmpty()) {
      return Optional.empty();
    }
    ByteArrayOutputStream profile = new ByteArrayOutputStream((int) total);
    chunks.values().forEach(profile::writeBytes);
    return Optional.of(profile.toByteArray());
  }

  /** Chunks up to the first IDAT; iCCP is a name, a NUL, the compression method (0), then zlib data. */
  private static Optional<byte[]> png(DataInputStream in) throws IOException {
    in.skipNBytes(8); // signature
    while (true) {
      long length = Integer.toUnsignedLong(in.readInt());
      String type = new String(in.readNBytes(4), StandardCharsets.US_ASCII);
      if (type.equals("IDAT") || type.equals("IEND")) {
        return Optional.empty();
      }
      if (!type.equals("iCCP")) {
        in.skipNBytes(length + 4); // data and CRC
        continue;
      }
      if (length > IccProfile.MAX_BYTES) {
        return Optional.empty();
      }
      byte[] chunk = in.readNBytes((int) length);
      int nul = 0;
      while (nul < chunk.length && chunk[nul] != 0) {
        nul++;
      }
      return nul + 2 > chunk.length ? Optional.empty() : inflate(chunk, nul + 2);
    }
  }

  /** RIFF chunks after the header, up to the picture's: ICCP follows VP8X when there is one. */
  private static Optional<byte[]> webp(DataInputStream in) throws IOException {
    in.skipNBytes(12); // "RIFF", size, "WEBP"
    while (true) {
      String type = new String(in.readNBytes(4), StandardCharsets.US_ASCII);
      long length = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
      if (type.length() < 4 || type.equals("VP8 ") || type.equals("VP8L") || type.equals("ANIM")) {
        return Optional.empty();
      }
      if (type.equals("ICCP")) {
        return length > IccProfile.MAX_BYTES ? Optional.empty() : Optional.of(in.readNBytes((int) length));
      }
      in.skipNBytes(length + (length & 1)); // chunks are padded to an even size
    }
  }

  /** zlib data, to at most {@link IccProfile#MAX_BYTES}: a small chunk must not inflate into gigabytes. */
  private static Optional<byte[]> inflate(byte[] data, int offset) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(data, offset, data.length - offset);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[64 * 1024];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          return Optional.empty();
        }
        out.write(buffer, 0, n);
        if (out.size() > IccProfile.MAX_BYTES) {
          return Optional.empty();
        }
      }
      return Optional.of(out.toByteArray());
    } catch (DataFormatException e) {
      return Optional.empty();
    } finally {
      inflater.end();
    }
  }
}
