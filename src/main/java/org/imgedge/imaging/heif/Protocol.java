package org.imgedge.imaging.heif;

/**
 * What the service and its HEIF decoder process say to each other, in {@code DataOutputStream} encoding.
 *
 * <p>A request is an operation byte, the original's path (UTF), the address space the process may map for
 * it beyond the file (a long) and, for a decode, the factor to shrink the picture by on each side (an int; 1 for a
 * probe). The answer is {@link #OK}, width and height (ints), then for {@link #PROBE} the nclx colour primaries (an
 * int, 0 without nclx) and the ICC profile (its length, an int, 0 without one, then its bytes), and for
 * {@link #DECODE} the picture shrunk by the factor ({@link ShrunkAnswer}): {@code 3 * ceil(width / factor)} bytes of
 * RGB for each of {@code ceil(height / factor)} rows, top to bottom; or
 * {@link #REFUSED} and libheif's message (UTF) when the file cannot be read. Anything else, or the end of the
 * stream, means the process died.
 */
final class Protocol {

  /** The displayed size, from the header: nothing is decoded. */
  static final byte PROBE = 1;
  /** The whole picture, upright, shrunk by the request's factor. */
  static final byte DECODE = 2;

  static final byte OK = 0;
  static final byte REFUSED = 1;

  private Protocol() {}
}
