package org.imgedge.metadata;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an EXIF date string into the API's {@code takenAt} text without going through a time zone.
 *
 * <p>EXIF stores the camera's wall-clock time with no zone. metadata-extractor's {@code getDate} would
 * interpret it in the JVM's zone and shift it, so we parse the raw characters instead.
 */
final class ExifDateTime {

  private static final DateTimeFormatter API_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  // The spec says "YYYY:MM:DD HH:MM:SS"; some writers use '-' or '/' in the date or a 'T' separator,
  // and fractional seconds or a zone may follow. We keep only what the spec promises.
  private static final Pattern EXIF_DATE_TIME =
      Pattern.compile("(\\d{4})[:\\-/](\\d{2})[:\\-/](\\d{2})[ T](\\d{2}):(\\d{2}):(\\d{2}).*");

  private ExifDateTime() {}

  /** @return {@code yyyy-MM-ddTHH:mm:ss}, or {@code null} when the text is blank, zeroed or not a real date */
  static String toApiText(String raw) {
    if (raw == null) {
      return null;
    }
    Matcher m = EXIF_DATE_TIME.matcher(raw.trim());
    if (!m.matches()) {
      return null;
    }
    try {
      LocalDateTime local = LocalDateTime.of(
          Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
          Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)));
      return local.format(API_FORMAT);
    } catch (DateTimeException e) {
      // "0000:00:00 00:00:00" is how cameras without a clock say "unknown"
      return null;
    }
  }
}
