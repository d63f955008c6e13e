package org.imgedge.imaging;

import java.util.Optional;

/**
 * Why an upload cannot become variants. The message is short and safe to show a client; it never carries
 * parser internals. No stack trace: these are expected outcomes of bad input, not bugs.
 */
public final class ImagingException extends Exception {

  /**
   * What went wrong, for mapping to a problem type (415, 413, 422; 503 when the worker ran out of memory,
   * or stopped because the upload stopped waiting).
   */
  public enum Kind {
    UNSUPPORTED_FORMAT, TOO_MANY_PIXELS, UNDECODABLE, TOO_MANY_SCANS, OUT_OF_MEMORY, CANCELLED;

    /** The event-bus failure code a worker answers with: one per kind (HTTP statuses repeat across kinds). */
    public int failureCode() {
      return 1 + ordinal();
    }

    /** @return the kind a worker's failure code stands for; empty for any other code (a worker's own failure) */
    public static Optional<Kind> ofFailureCode(int code) {
      Kind[] all = values();
      return code >= 1 && code <= all.length ? Optional.of(all[code - 1]) : Optional.empty();
    }
  }

  private final Kind kind;

  ImagingException(Kind kind, String publicMessage) {
    super(publicMessage, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  static ImagingException unsupported() {
    return new ImagingException(Kind.UNSUPPORTED_FORMAT, "Unsupported image format; send JPEG, PNG, WebP, GIF, HEIC or AVIF");
  }

  static ImagingException unreadableHere(ImageFormat format) {
    return new ImagingException(Kind.UNSUPPORTED_FORMAT, format.label() + " cannot be read on this node: its decoder (libheif) is not installed");
  }

  static ImagingException tooManyPixels(long width, long height, long maxPixels) {
    return new ImagingException(Kind.TOO_MANY_PIXELS,
        "Image is " + width + "x" + height + " pixels; at most " + maxPixels + " pixels are accepted");
  }

  static ImagingException tooManyScans(int maxScans) {
    return new ImagingException(Kind.TOO_MANY_SCANS,
        "The JPEG has more than " + maxScans + " scans; decoding it would take unreasonably long");
  }

  /** Not the input's fault: the same upload may well succeed when fewer decodes share the heap. */
  static ImagingException outOfMemory() {
    return new ImagingException(Kind.OUT_OF_MEMORY, "The service ran out of memory decoding this image; retry shortly");
  }

  static ImagingException cancelled() {
    return new ImagingException(Kind.CANCELLED, "Processing the image took too long");
  }

  static ImagingException undecodable(ImageFormat format) {
    return new ImagingException(Kind.UNDECODABLE, format.label() + " data is truncated or corrupt");
  }
}
