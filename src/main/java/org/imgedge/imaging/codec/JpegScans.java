package org.imgedge.imaging.codec;

import java.nio.ByteBuffer;

/**
 * Counts a JPEG's scans (its SOS markers) by walking the marker structure and skipping over the
 * entropy-coded data, without decoding anything.
 *
 * <p>Why: a progressive JPEG may legally hold thousands of scans, and a decoder works over the whole
 * image once per scan. A 72 KB file of 2048x2048 with 2,647 empty scans keeps the JDK's decoder busy for
 * two minutes. Only progressive frames are walked past their first scan: a sequential scan must code
 * every block it covers with at least two bits, so its decoding time is bounded by the file's size.
 */
public final class JpegScans {

  /**
   * The most scans we decode. Encoders write 1 (baseline) to a few dozen (libjpeg's default progressive
   * script: 10). The JDK's decoder renders the whole picture after every scan (about 11 ms per scan and
   * megapixel here), so 100 scans of a 12 MP photo already cost it some 13 s; libjpeg-turbo's own guard
   * (TJFLAG_LIMITSCANS, 500) only fires after decoding that many scans, and only in that codec.
   */
  public static final int MAX_SCANS = 100;

  private static final int SOS = 0xDA;
  private static final int EOI = 0xD9;

  private JpegScans() {}

  /**
   * Reads {@code jpeg} from index 0 to its limit with absolute gets (its position is left alone). It is a
   * guard, not a validator: bytes where a marker belongs are skipped as decoders skip them, a segment
   * cut short ends the count, and the decoder then judges the bytes.
   *
   * @param stopAfter counting stops as soon as the count exceeds this, so a hostile file costs no more
   * @return the number of SOS markers up to EOI or the end of the data, at most {@code stopAfter + 1};
   *     at most 1 for a sequential JPEG
   */
  public static int count(ByteBuffer jpeg, int stopAfter) {
    int end = jpeg.limit();
    if (end < 4 || u8(jpeg, 0) != 0xFF || u8(jpeg, 1) != 0xD8) {
      return 0;
    }
    int scans = 0;
    boolean progressive = false;
    int pos = 2;
    while (pos + 1 < end) {
      if (u8(jpeg, pos) != 0xFF) {
        // junk where a marker belongs: decoders skip it to the next marker ("extraneous bytes before
        // marker") and go on decoding, so the count goes on too, or junk would hide the scans behind it
        pos = nextMarker(jpeg, pos, end);
        continue;
      }
      int marker = u8(jpeg, pos + 1);
      if (marker == 0xFF) { // fill byte before a marker
        pos++;
        continue;
      }
      if (marker == EOI) {
        return scans;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // stand-alone markers have no length
        pos += 2;
        continue;
      }
      if (pos + 4 > end) {
        return scans;
      }
      int segmentEnd = pos + 2 + u16(jpeg, pos + 2);
      if (isStartOfFrame(marker)) {
        progressive = isProgressive(marker);
        pos = segmentEnd;
      } else if (marker == SOS) {
        scans++;
        if (scans > stopAfter || !progressive) {
          return scans;
        }
        pos = nextMarker(jpeg, segmentEnd, end);
      } else {
        pos = segmentEnd;
      }
    }
    return scans;
  }

  /**
   * The offset of the first marker after a scan's entropy-coded data, which ends at an 0xFF that is
   * followed neither by a stuffed 0x00 nor by a restart marker (those belong to the data).
   */
  private static int nextMarker(ByteBuffer jpeg, int from, int end) {
    int i = from;
    while (i + 1 < end) {
      if (u8(jpeg, i) != 0xFF) {
        i++;
        continue;
      }
      int next = u8(jpeg, i + 1);
      if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
        i += 2;
      } else if (next == 0xFF) {
        i++;
      } else {
        return i;
      }
    }
    return end;
  }

  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range
  private static boolean isStartOfFrame(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }

  // SOF2, SOF6, SOF10, SOF14: progressive, Huffman or arithmetic, plain or differential
  private static boolean isProgressive(int marker) {
    return marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
  }

  private static int u8(ByteBuffer b, int at) {
    return b.get(at) & 0xFF;
  }

  private static int u16(ByteBuffer b, int at) {
    return (u8(b, at) << 8) | u8(b, at + 1);
  }
}
