package org.imgedge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A photo of the corpus with what is known about it independently of the service: the dump that
 * metadata-extractor printed for it ({@code expected/<name>.txt}) gives the stored size, the EXIF
 * orientation and the camera make.
 *
 * @param displayedWidth  width after EXIF orientation (stored height for orientations 5..8)
 * @param hasGps          whether the EXIF holds a real GPS position
 */
public record Photo(Path file, String name, int displayedWidth, int displayedHeight, String make, boolean hasGps) {

  private static final Pattern LINE = Pattern.compile("^\\[([^\\]]+)\\] ([^=]+?) = (.*)$");

  public static List<Photo> all() {
    return Corpus.files("photos").stream().map(Photo::of).toList();
  }

  public static Photo of(Path file) {
    String name = file.getFileName().toString();
    List<String> dump;
    try {
      dump = Files.readAllLines(Corpus.file("expected", name + ".txt"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int width = Integer.parseInt(value(dump, "JPEG - 0x0003", "Image Width").orElseThrow().split(" ")[0]);
    int height = Integer.parseInt(value(dump, "JPEG - 0x0001", "Image Height").orElseThrow().split(" ")[0]);
    String orientation = value(dump, "Exif IFD0 - 0x0112", "Orientation").orElse("").toLowerCase(Locale.ROOT);
    boolean swaps = orientation.contains("rotate 90") || orientation.contains("rotate 270");
    String make = value(dump, "Exif IFD0 - 0x010f", "Make").orElse(null);
    // a latitude of exactly 0 with no N/S reference is a camera's empty placeholder, not a position
    boolean gps = value(dump, "GPS - 0x0002", "GPS Latitude").filter(l -> !l.startsWith("0° 0' 0\"")).isPresent();
    return swaps ? new Photo(file, name, height, width, make, gps) : new Photo(file, name, width, height, make, gps);
  }

  public long bytes() {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return name;
  }

  private static Optional<String> value(List<String> dump, String directory, String tag) {
    for (String line : dump) {
      Matcher m = LINE.matcher(line);
      if (m.matches() && m.group(1).equals(directory) && m.group(2).equals(tag)) {
        return Optional.of(m.group(3).trim());
      }
    }
    return Optional.empty();
  }
}
