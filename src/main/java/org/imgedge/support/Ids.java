package org.imgedge.support;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Image ids: UUID version 7 strings. The first 48 bits are the creation time in milliseconds, so ids
 * sort by time as text (keyset pagination orders by id); 74 further bits come from SecureRandom, so
 * an id cannot be guessed from another one.
 */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static String next() {
    long millis = System.currentTimeMillis();
    long randA = RANDOM.nextLong();
    long randB = RANDOM.nextLong();
    long msb = (millis << 16) | 0x7000L | (randA & 0x0FFFL);
    long lsb = (randB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /** When the id was made: its first 48 bits, in milliseconds since the epoch. */
  public static Instant createdAt(String id) {
    long millis = Long.parseLong(id.substring(0, 8) + id.substring(9, 13), 16);
    return Instant.ofEpochMilli(millis);
  }

  /**
   * True for strings shaped like an id ({@code xxxxxxxx-xxxx-7xxx-[89ab]xxx-xxxxxxxxxxxx}, lowercase
   * hex), so that junk never reaches a query or a file path. A loop rather than a regex: every variant
   * request checks an id, and the regex showed up in the profile of cached reads.
   */
  public static boolean isWellFormed(String s) {
    if (s == null || s.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean ok = switch (i) {
        case 8, 13, 18, 23 -> c == '-';
        case 14 -> c == '7';
        case 19 -> c == '8' || c == '9' || c == 'a' || c == 'b';
        default -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
