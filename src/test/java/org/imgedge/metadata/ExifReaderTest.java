package org.imgedge.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.imgedge.testing.Corpus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks ExifReader against the test corpus by category: real photos, the orientation set, hostile files. */
class ExifReaderTest {

  private static final List<String> READABLE_TYPES = List.of("image/jpeg", "image/png", "image/webp", "image/gif");
  private static final Pattern ORIENTATION_NAME = Pattern.compile(".*_(\\d)\\.jpg");

  static Path corpus() {
    return Corpus.root();
  }

  static Stream<Path> photos() throws IOException {
    return Stream.concat(files("photos"), files("heic"));
  }

  static Stream<Path> orientationSet() throws IOException {
    return files("orientation").filter(p -> ORIENTATION_NAME.matcher(p.getFileName().toString()).matches());
  }

  static Stream<Path> hostileAndUnusualFiles() throws IOException {
    return Stream.concat(files("bad"), files("formats"));
  }

  private static Stream<Path> files(String category) throws IOException {
    try (Stream<Path> listing = Files.list(corpus().resolve(category))) {
      List<Path> found = listing.filter(Files::isRegularFile).sorted().toList();
      assertThat(found).as("files in corpus/%s", category).isNotEmpty();
      return found.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("photos")
  @DisplayName("a photo's EXIF (JPEG, or HEIC through the HEIF reader) matches the dump metadata-extractor itself printed for it")
  void photoMatchesDump(Path photo) throws IOException {
    String name = photo.getFileName().toString();
    Path dumpFile = corpus().resolve("expected").resolve(name + ".txt");
    assertThat(dumpFile).as("expected dump for %s", name).exists();
    MetadataDump dump = MetadataDump.parse(dumpFile);

    ImageMetadata actual = ExifReader.read(photo, mimeTypeOf(name));

    SoftAssertions soft = new SoftAssertions();
    ImageMetadata.Camera camera = actual.camera();
    soft.assertThat(camera == null ? null : camera.make()).as("make").isEqualTo(dump.get("Exif IFD0", "Make"));
    soft.assertThat(camera == null ? null : camera.model()).as("model").isEqualTo(dump.get("Exif IFD0", "Model"));
    soft.assertThat(camera == null ? null : camera.software()).as("software").isEqualTo(dump.get("Exif IFD0", "Software"));
    soft.assertThat(actual.takenAt()).as("takenAt").isEqualTo(dump.takenAt());
    Integer orientation = dump.orientation();
    soft.assertThat(actual.orientation()).as("orientation").isEqualTo(orientation == null ? 1 : orientation);
    assertGps(soft, actual.gps(), dump);
    assertExposure(soft, actual.exposure(), dump);
    soft.assertAll();
  }

  private static void assertGps(SoftAssertions soft, ImageMetadata.Gps gps, MetadataDump dump) {
    Double latitude = dump.degrees("GPS Latitude", "S");
    Double longitude = dump.degrees("GPS Longitude", "W");
    // receivers without a fix write 0,0; the reader reports that as no position at all
    boolean expectPosition = latitude != null && longitude != null && (latitude != 0 || longitude != 0);
    if (!expectPosition) {
      soft.assertThat(gps).as("gps").isNull();
      return;
    }
    soft.assertThat(gps).as("gps").isNotNull();
    if (gps == null) {
      return;
    }
    soft.assertThat(gps.latitude()).as("latitude").isCloseTo(latitude, within(1e-4));
    soft.assertThat(gps.longitude()).as("longitude").isCloseTo(longitude, within(1e-4));
    Double altitude = dump.altitude();
    if (altitude == null) {
      soft.assertThat(gps.altitude()).as("altitude").isNull();
    } else {
      soft.assertThat(gps.altitude()).as("altitude").isCloseTo(altitude, within(0.01));
    }
  }

  private static void assertExposure(SoftAssertions soft, ImageMetadata.Exposure exposure, MetadataDump dump) {
    Double iso = dump.number("Exif SubIFD", "ISO Speed Ratings");
    Double fNumber = dump.number("Exif SubIFD", "F-Number");
    Double focalLength = dump.number("Exif SubIFD", "Focal Length");
    Double seconds = dump.exposureSeconds();
    if (iso == null && fNumber == null && focalLength == null && seconds == null) {
      soft.assertThat(exposure).as("exposure").isNull();
      return;
    }
    soft.assertThat(exposure).as("exposure").isNotNull();
    if (exposure == null) {
      return;
    }
    soft.assertThat(exposure.iso()).as("iso").isEqualTo(iso == null ? null : iso.intValue());
    // the dump rounds f-numbers and focal lengths to one decimal for display
    assertCloseOrNull(soft, "fNumber", exposure.fNumber(), fNumber, 0.051);
    assertCloseOrNull(soft, "focalLength", exposure.focalLength(), focalLength, 0.051);
    if (seconds == null) {
      soft.assertThat(exposure.exposureTime()).as("exposureTime").isNull();
    } else {
      soft.assertThat(exposure.exposureTime()).as("exposureTime").matches("\\d+/\\d+");
      String[] parts = exposure.exposureTime().split("/");
      double value = Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
      soft.assertThat(value).as("exposureTime value").isCloseTo(seconds, within(seconds * 0.01));
    }
  }

  private static void assertCloseOrNull(SoftAssertions soft, String what, Double actual, Double expected, double tolerance) {
    if (expected == null) {
      soft.assertThat(actual).as(what).isNull();
    } else {
      soft.assertThat(actual).as(what).isNotNull();
      if (actual != null) {
        soft.assertThat(actual).as(what).isCloseTo(expected, within(tolerance));
      }
    }
  }

  @Test
  @DisplayName("the iPhone 4S photo is stored rotated: orientation 6")
  void iphone4sIsRotated() {
    Path photo = corpus().resolve("photos/apple-iphone-4s.jpg");
    assertThat(ExifReader.read(photo, "image/jpeg").orientation()).isEqualTo(6);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("orientationSet")
  @DisplayName("orientation/<name>_N.jpg reads as N, and the undefined 0 as 1")
  void orientationSetReadsItsNumber(Path file) {
    Matcher m = ORIENTATION_NAME.matcher(file.getFileName().toString());
    assertThat(m.matches()).isTrue();
    int n = Integer.parseInt(m.group(1));
    assertThat(ExifReader.read(file, "image/jpeg").orientation()).isEqualTo(n == 0 ? 1 : n);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileAndUnusualFiles")
  @DisplayName("fuzzed and unusual files return a result through every reader, never an exception")
  void hostileFilesNeverThrow(Path file) {
    // the sniffer may take any of them for any format, so every reader gets every file
    for (String type : READABLE_TYPES) {
      ImageMetadata result = ExifReader.read(file, type);
      assertThat(result).as("%s read as %s", file.getFileName(), type).isNotNull();
      assertThat(result.orientation()).isBetween(1, 8);
    }
  }

  @Test
  @DisplayName("a format without a metadata reader, or a missing file, gives NONE")
  void unreadableGivesNone() {
    Path photo = corpus().resolve("photos/apple-iphone-4s.jpg");
    assertThat(ExifReader.read(photo, "image/heic")).isEqualTo(ImageMetadata.NONE);
    assertThat(ExifReader.read(photo, null)).isEqualTo(ImageMetadata.NONE);
    assertThat(ExifReader.read(corpus().resolve("no-such-file.jpg"), "image/jpeg")).isEqualTo(ImageMetadata.NONE);
  }

  private static String mimeTypeOf(String name) {
    String lower = name.toLowerCase();
    if (lower.endsWith(".png")) {
      return "image/png";
    }
    if (lower.endsWith(".webp")) {
      return "image/webp";
    }
    if (lower.endsWith(".gif")) {
      return "image/gif";
    }
    if (lower.endsWith(".heic")) {
      return "image/heic";
    }
    return "image/jpeg";
  }
}
