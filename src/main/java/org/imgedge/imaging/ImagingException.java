package org.imgedge.imaging;

/**
 * Why an upload cannot become variants. The message is short and safe to show a client; it never carries
 * parser internals. No stack trace: these are expected outcomes of bad input, not bugs.
 */
public final class ImagingException extends Exception {

  /** What went wrong, for mapping to an HTTP status (415, 413, 422). */
  public enum Kind { UNSUPPORTED_FORMAT, TOO_MANY_PIXELS, UNDECODABLE }

  private final Kind kind;

  ImagingException(Kind kind, String publicMessage) {
    super(publicMessage, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  static ImagingException unsupported() {
    return new ImagingException(Kind.UNSUPPORTED_FORMAT, "Unsupported image format; send JPEG, PNG, WebP or GIF");
  }

  static ImagingException tooManyPixels(long width, long height, long maxPixels) {
    return new ImagingException(Kind.TOO_MANY_PIXELS,
        "Image is " + width + "x" + height + " pixels; at most " + maxPixels + " pixels are accepted");
  }

  static ImagingException undecodable(ImageFormat format) {
    return new ImagingException(Kind.UNDECODABLE, format.name() + " data is truncated or corrupt");
  }
}
