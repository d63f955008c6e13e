package org.imgedge.metadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text dump metadata-extractor prints for a file ({@code [Exif IFD0 - 0x010f] Make = samsung}),
 * read back as the ground truth that {@link ExifReader} is checked against.
 */
final class MetadataDump {

  private static final Pattern LINE = Pattern.compile("^\\[([^\\]]+?) - [^\\]]*\\] (.+?) = (.*)$");
  private static final Pattern DMS = Pattern.compile("(-?)(\\d+)° (\\d+)' ([\\d.]+)\"");

  /** "directory|tag name" -> description, first occurrence wins (as in the reader). */
  private final Map<String, String> values = new LinkedHashMap<>();

  private MetadataDump() {}

  static MetadataDump parse(Path file) throws IOException {
    MetadataDump dump = new MetadataDump();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        dump.values.putIfAbsent(m.group(1) + "|" + m.group(2), m.group(3));
      }
    }
    return dump;
  }

  /** Trimmed description, {@code null} when absent or blank. */
  String get(String directory, String tag) {
    String value = values.get(directory + "|" + tag);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The dump prints dates raw ("2012:08:26 15:53:03"); the API wants "2012-08-26T15:53:03". */
  String takenAt() {
    String raw = get("Exif SubIFD", "Date/Time Original");
    if (raw == null) {
      raw = get("Exif SubIFD", "Date/Time Digitized");
    }
    if (raw == null) {
      raw = get("Exif IFD0", "Date/Time");
    }
    return raw == null ? null : raw.replaceFirst("^(\\d{4}):(\\d{2}):(\\d{2}) ", "$1-$2-$3T");
  }

  /**
   * Decimal degrees from {@code 51° 28' 58.78"}. The sign comes from the Ref line (S, W), because the
   * printed degrees lose the minus sign for places within one degree of the equator or meridian.
   */
  Double degrees(String tag, String negativeRef) {
    String text = get("GPS", tag);
    if (text == null) {
      return null;
    }
    Matcher m = DMS.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("unexpected GPS text in dump: " + tag);
    }
    double value = Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(3)) / 60.0 + Double.parseDouble(m.group(4)) / 3600.0;
    boolean negative = !m.group(1).isEmpty() || negativeRef.equalsIgnoreCase(get("GPS", tag + " Ref"));
    return negative ? -value : value;
  }

  /** Metres from "166.31 metres", negative below sea level; {@code null} when absent. */
  Double altitude() {
    String text = get("GPS", "GPS Altitude");
    if (text == null) {
      return null;
    }
    double metres = Double.parseDouble(text.replace(" metres", ""));
    return "Below sea level".equals(get("GPS", "GPS Altitude Ref")) ? -metres : metres;
  }

  /** Leading number of a description such as "f/2.4", "4.3 mm" or "64"; {@code null} when absent. */
  Double number(String directory, String tag) {
    String text = get(directory, tag);
    if (text == null) {
      return null;
    }
    Matcher m = Pattern.compile("[\\d.]+").matcher(text);
    return m.find() ? Double.parseDouble(m.group()) : null;
  }

  /** Seconds from "1/1493 sec" or "0.02 sec". */
  Double exposureSeconds() {
    String text = get("Exif SubIFD", "Exposure Time");
    if (text == null) {
      return null;
    }
    String number = text.replace(" sec", "");
    int slash = number.indexOf('/');
    return slash < 0
        ? Double.parseDouble(number)
        : Double.parseDouble(number.substring(0, slash)) / Double.parseDouble(number.substring(slash + 1));
  }

  /**
   * EXIF orientation from the description's position words ("Right side, top (Rotate 90 CW)" is 6):
   * the EXIF spec names each value by where row 0 and column 0 of the stored image end up.
   */
  Integer orientation() {
    String text = get("Exif IFD0", "Orientation");
    if (text == null) {
      return null;
    }
    String[] positions = {
        "Top, left side", "Top, right side", "Bottom, right side", "Bottom, left side",
        "Left side, top", "Right side, top", "Right side, bottom", "Left side, bottom"};
    for (int i = 0; i < positions.length; i++) {
      if (text.startsWith(positions[i] + " ")) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("unexpected orientation text in dump: " + text);
  }
}
