package org.imgedge.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded damage to a HEIC's container, where its parser has to decide what to trust: the declared image
 * sizes ({@code ispe}), the sizes of the boxes, the tile grid's descriptor, any byte of the header, and the
 * length of the file.
 */
final class HeifMutations {

  enum Kind { ISPE, BOX_SIZE, GRID, FLIP_HEADER, TRUNCATE }

  /** The box types of an iPhone HEIC's header, found by their four letters after a size. */
  private static final Set<String> BOXES = Set.of("ftyp", "meta", "hdlr", "pitm", "iloc", "iinf", "infe", "iref", "dimg",
      "thmb", "cdsc", "iprp", "ipco", "ipma", "hvcC", "ispe", "colr", "irot", "pixi", "idat", "mdat");

  private HeifMutations() {}

  static byte[] apply(byte[] heic, Kind kind, Random random) {
    byte[] b = heic.clone();
    int header = indexOf(b, "mdat", 0);
    header = header < 0 ? Math.min(b.length, 4096) : header;
    switch (kind) {
      case ISPE -> {
        // after the type: version and flags, then width and height
        List<Integer> at = positions(b, "ispe", header);
        if (!at.isEmpty()) {
          int p = at.get(random.nextInt(at.size())) + 8 + 4 * random.nextInt(2);
          int[] sides = {0, 1, 511, 512, 513, 3024, 4032, 32768, 65535, 65536, 60000, Integer.MAX_VALUE, -1, random.nextInt()};
          putInt(b, p, sides[random.nextInt(sides.length)]);
        }
      }
      case BOX_SIZE -> {
        List<Integer> at = new ArrayList<>();
        for (String type : BOXES) {
          at.addAll(positions(b, type, header + 4));
        }
        if (!at.isEmpty()) {
          int p = at.get(random.nextInt(at.size())) - 4;
          int size = getInt(b, p);
          int[] sizes = {0, 1, 7, 8, size - 1, size + 1, size * 2, -1, random.nextInt(1 << 20)};
          putInt(b, p, sizes[random.nextInt(sizes.length)]);
        }
      }
      case GRID -> {
        // the grid descriptor is the item data in idat: version, flags, rows - 1, columns - 1, output width and height
        int idat = indexOf(b, "idat", 0);
        if (idat >= 0) {
          for (int n = 1 + random.nextInt(3); n > 0; n--) {
            b[idat + 4 + random.nextInt(Math.min(12, b.length - idat - 4))] = (byte) random.nextInt(256);
          }
        }
      }
      case FLIP_HEADER -> {
        for (int n = 1 + random.nextInt(8); n > 0; n--) {
          b[random.nextInt(header)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case TRUNCATE -> b = Arrays.copyOf(b, random.nextInt(b.length));
    }
    return b;
  }

  /** Where {@code type} stands as a box type (its four letters) before {@code end}. */
  private static List<Integer> positions(byte[] b, String type, int end) {
    List<Integer> at = new ArrayList<>();
    for (int i = indexOf(b, type, 4); i >= 0 && i < end; i = indexOf(b, type, i + 1)) {
      at.add(i);
    }
    return at;
  }

  private static int indexOf(byte[] b, String type, int from) {
    byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
    outer:
    for (int i = Math.max(0, from); i + 4 <= b.length; i++) {
      for (int j = 0; j < 4; j++) {
        if (b[i + j] != t[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int getInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }

  private static void putInt(byte[] b, int at, int v) {
    if (at >= 0 && at + 4 <= b.length) {
      b[at] = (byte) (v >>> 24);
      b[at + 1] = (byte) (v >>> 16);
      b[at + 2] = (byte) (v >>> 8);
      b[at + 3] = (byte) v;
    }
  }
}
