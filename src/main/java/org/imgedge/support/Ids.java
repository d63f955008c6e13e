package org.imgedge.support;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Image ids: UUID version 7 strings. The first 48 bits are the creation time in milliseconds, so ids
 * sort by time as text (keyset pagination orders by id); 74 further bits come from SecureRandom, so
 * an id cannot be guessed from another one.
 */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern WELL_FORMED =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

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
  public static java.time.Instant createdAt(String id) {
    long millis = Long.parseLong(id.substring(0, 8) + id.substring(9, 13), 16);
    return java.time.Instant.ofEpochMilli(millis);
  }

  /** True for strings shaped like an id, so that junk never reaches a query or a file path. */
  public static boolean isWellFormed(String s) {
    return s != null && s.length() == 36 && WELL_FORMED.matcher(s).matches(); // compiled once: every variant request checks an id
  }
}
