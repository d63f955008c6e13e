package org.imgedge.imaging;

import org.imgedge.imaging.codec.HeifDecoder;

/** The image formats we accept as originals. */
public enum ImageFormat {
  JPEG("image/jpeg", "JPEG"),
  PNG("image/png", "PNG"),
  WEBP("image/webp", "WebP"),
  GIF("image/gif", "GIF"),
  /** HEIF with HEVC-coded images, as phones take them. */
  HEIC("image/heic", "HEIC"),
  /** HEIF with AV1-coded images. */
  AVIF("image/avif", "AVIF");

  private final String mimeType;
  private final String label;

  ImageFormat(String mimeType, String label) {
    this.mimeType = mimeType;
    this.label = label;
  }

  public String mimeType() {
    return mimeType;
  }

  /** The name people know it by, for messages. */
  public String label() {
    return label;
  }

  /** Whether the decoder places the picture upright itself (HEIF's irot and imir), so EXIF orientation is not applied again. */
  boolean orientedByDecoder() {
    return this == HEIC || this == AVIF;
  }

  /** Whether this node can decode it: HEIC and AVIF need libheif, which may not be installed. */
  public boolean readableHere() {
    return !orientedByDecoder() || HeifDecoder.available();
  }
}
