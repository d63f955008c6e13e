package org.imgedge.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Damages a file the way broken phones, proxies and attackers do: cut it short, flip bytes, or edit the
 * JPEG header where decoders trust it most (frame size, segment lengths, tables, EXIF orientation, marker
 * order). Deterministic: the same source, kind and seed always give the same bytes.
 */
final class Mutations {

  enum Kind { TRUNCATE, FLIP_BYTES, FLIP_HEADER_BYTES, SOF_SIZE, SEGMENT_LENGTH, TABLE_GARBAGE, ORIENTATION, SWAP_SEGMENTS, MARKER_TYPE }

  /** A marker segment of the header: where its 0xFF is, its marker byte, and its full size with the marker. */
  private record Segment(int at, int marker, int size) {}

  private Mutations() {}

  static byte[] apply(byte[] source, Kind kind, Random random) {
    byte[] b = source.clone();
    List<Segment> segments = isJpeg(b) ? segments(b) : List.of();
    return switch (kind) {
      case TRUNCATE -> Arrays.copyOf(b, random.nextInt(b.length));
      case FLIP_BYTES -> flip(b, random, b.length, 1 + random.nextInt(32));
      case FLIP_HEADER_BYTES -> flip(b, random, Math.min(b.length, headerEnd(segments, 4096)), 1 + random.nextInt(8));
      case SOF_SIZE -> segment(segments, random, true, 0xC0, 0xC1, 0xC2)
          .map(s -> {
            int[] sides = {0, 1, 7, 8, 9, 255, 4096, 32768, 65500, 65535, random.nextInt(65536)};
            put16(b, s.at() + 5 + 2 * random.nextInt(2), sides[random.nextInt(sides.length)]);
            return b;
          }).orElseGet(() -> flip(b, random, b.length, 4));
      case SEGMENT_LENGTH -> segment(segments, random, false)
          .map(s -> {
            int[] lengths = {0, 1, 2, 3, s.size() - 3, s.size() - 1, s.size() + 1, 0xFFFF, random.nextInt(65536)};
            put16(b, s.at() + 2, lengths[random.nextInt(lengths.length)]);
            return b;
          }).orElseGet(() -> flip(b, random, b.length, 4));
      case TABLE_GARBAGE -> segment(segments, random, true, 0xDB, 0xC4)
          .map(s -> {
            int from = s.at() + 4 + random.nextInt(Math.max(1, s.size() - 4));
            int to = Math.min(s.at() + s.size(), from + 1 + random.nextInt(64));
            for (int i = from; i < to; i++) {
              b[i] = (byte) random.nextInt(256);
            }
            return b;
          }).orElseGet(() -> flip(b, random, b.length, 4));
      case ORIENTATION -> orientation(b, random);
      case SWAP_SEGMENTS -> swap(b, segments, random);
      case MARKER_TYPE -> segment(segments, random, false)
          .map(s -> {
            int[] markers = {0xC0, 0xC2, 0xC3, 0xC4, 0xC9, 0xCC, 0xD8, 0xD9, 0xDA, 0xDB, 0xDD, 0xE1, 0xEE, 0xFE, 0x01, 0xD0, 0x00};
            b[s.at() + 1] = (byte) markers[random.nextInt(markers.length)];
            return b;
          }).orElseGet(() -> flip(b, random, b.length, 4));
    };
  }

  private static byte[] flip(byte[] b, Random random, int within, int count) {
    for (int i = 0; i < count && within > 0; i++) {
      b[random.nextInt(within)] = (byte) random.nextInt(256);
    }
    return b;
  }

  /** Sets the value of the first EXIF orientation entry (tag 0x0112) to anything a SHORT can hold. */
  private static byte[] orientation(byte[] b, Random random) {
    int[] values = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 255, 256, 65535, random.nextInt(65536)};
    int value = values[random.nextInt(values.length)];
    for (int i = 0; i + 12 <= Math.min(b.length, 65536); i++) {
      boolean bigEndian = b[i] == 0x01 && b[i + 1] == 0x12 && b[i + 2] == 0 && b[i + 3] == 3;
      boolean littleEndian = b[i] == 0x12 && b[i + 1] == 0x01 && b[i + 2] == 3 && b[i + 3] == 0;
      if (bigEndian) {
        put16(b, i + 8, value);
        return b;
      }
      if (littleEndian) {
        b[i + 8] = (byte) value;
        b[i + 9] = (byte) (value >> 8);
        return b;
      }
    }
    return flip(b, random, b.length, 2);
  }

  /** Exchanges two header segments, e.g. the frame header with a Huffman table, or SOS before DQT. */
  private static byte[] swap(byte[] b, List<Segment> segments, Random random) {
    if (segments.size() < 2) {
      return flip(b, random, b.length, 4);
    }
    int i = random.nextInt(segments.size());
    int j = random.nextInt(segments.size());
    Segment first = segments.get(Math.min(i, j));
    Segment second = segments.get(Math.max(i, j));
    if (first == second) {
      return b;
    }
    byte[] out = new byte[b.length];
    int pos = 0;
    pos = copy(b, 0, first.at(), out, pos);
    pos = copy(b, second.at(), second.size(), out, pos);
    pos = copy(b, first.at() + first.size(), second.at() - first.at() - first.size(), out, pos);
    pos = copy(b, first.at(), first.size(), out, pos);
    copy(b, second.at() + second.size(), b.length - second.at() - second.size(), out, pos);
    return out;
  }

  private static int copy(byte[] from, int at, int length, byte[] to, int pos) {
    System.arraycopy(from, at, to, pos, length);
    return pos + length;
  }

  private static java.util.Optional<Segment> segment(List<Segment> segments, Random random, boolean only, int... markers) {
    List<Segment> candidates = segments.stream()
        .filter(s -> !only || Arrays.stream(markers).anyMatch(m -> m == s.marker()))
        .toList();
    return candidates.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(candidates.get(random.nextInt(candidates.size())));
  }

  private static int headerEnd(List<Segment> segments, int otherwise) {
    return segments.isEmpty() ? otherwise : segments.get(segments.size() - 1).at() + segments.get(segments.size() - 1).size();
  }

  private static boolean isJpeg(byte[] b) {
    return b.length > 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8;
  }

  /** The header segments from after SOI up to and including the first SOS. */
  private static List<Segment> segments(byte[] b) {
    List<Segment> out = new ArrayList<>();
    int pos = 2;
    while (pos + 4 <= b.length && (b[pos] & 0xFF) == 0xFF) {
      int marker = b[pos + 1] & 0xFF;
      int size = 2 + ((b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF));
      if (size < 4 || pos + size > b.length) {
        break;
      }
      out.add(new Segment(pos, marker, size));
      pos += size;
      if (marker == 0xDA) {
        break;
      }
    }
    return out;
  }

  private static void put16(byte[] b, int at, int value) {
    if (at + 1 < b.length) {
      b[at] = (byte) (value >> 8);
      b[at + 1] = (byte) value;
    }
  }
}
