package org.imgedge.metadata;

import com.drew.lang.GeoLocation;
import com.drew.lang.Rational;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import java.util.Collection;
import java.util.function.Function;

/**
 * Maps what metadata-extractor found onto {@link ImageMetadata}.
 *
 * <p>A file may carry several directories of one type (two APP1 segments, a PNG eXIf chunk next to
 * a JPEG-style one), so each field takes the first usable value across all of them. The thumbnail
 * IFD has its own directory class and is never consulted: its orientation and dates describe the
 * thumbnail, not the photo.
 */
final class ExifMapping {

  private ExifMapping() {}

  static ImageMetadata toImageMetadata(Metadata metadata) {
    Collection<ExifIFD0Directory> ifd0 = metadata.getDirectoriesOfType(ExifIFD0Directory.class);
    Collection<ExifSubIFDDirectory> sub = metadata.getDirectoriesOfType(ExifSubIFDDirectory.class);
    return new ImageMetadata(
        takenAt(ifd0, sub),
        gps(metadata.getDirectoriesOfType(GpsDirectory.class)),
        camera(ifd0, sub),
        exposure(sub),
        orientation(ifd0));
  }

  private static String takenAt(Collection<ExifIFD0Directory> ifd0, Collection<ExifSubIFDDirectory> sub) {
    // When the shutter fired beats when it was digitised, which beats when the file was last written.
    String original = first(sub, d -> ExifDateTime.toApiText(d.getString(ExifDirectoryBase.TAG_DATETIME_ORIGINAL)));
    if (original != null) {
      return original;
    }
    String digitized = first(sub, d -> ExifDateTime.toApiText(d.getString(ExifDirectoryBase.TAG_DATETIME_DIGITIZED)));
    if (digitized != null) {
      return digitized;
    }
    return first(ifd0, d -> ExifDateTime.toApiText(d.getString(ExifDirectoryBase.TAG_DATETIME)));
  }

  private static ImageMetadata.Gps gps(Collection<GpsDirectory> dirs) {
    for (GpsDirectory dir : dirs) {
      GeoLocation location = dir.getGeoLocation();
      if (location == null || location.isZero() || !plausible(location)) {
        // 0,0 is what receivers without a fix write; it is not a place anyone photographed
        continue;
      }
      return new ImageMetadata.Gps(location.getLatitude(), location.getLongitude(), altitude(dir));
    }
    return null;
  }

  private static boolean plausible(GeoLocation location) {
    double lat = location.getLatitude();
    double lon = location.getLongitude();
    return Double.isFinite(lat) && Double.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
  }

  /** Metres; negative below sea level (altitude ref 1). */
  private static Double altitude(GpsDirectory dir) {
    Double metres = decimal(dir.getRational(GpsDirectory.TAG_ALTITUDE), false);
    if (metres == null) {
      return null;
    }
    Integer ref = dir.getInteger(GpsDirectory.TAG_ALTITUDE_REF);
    // 0 - 0.0 keeps "0 m below sea level" from coming out as -0.0 in JSON
    return ref != null && ref == 1 ? 0.0 - metres : metres;
  }

  private static ImageMetadata.Camera camera(Collection<ExifIFD0Directory> ifd0, Collection<ExifSubIFDDirectory> sub) {
    String make = first(ifd0, d -> text(d, ExifDirectoryBase.TAG_MAKE));
    String model = first(ifd0, d -> text(d, ExifDirectoryBase.TAG_MODEL));
    String software = first(ifd0, d -> text(d, ExifDirectoryBase.TAG_SOFTWARE));
    String lens = first(sub, d -> text(d, ExifDirectoryBase.TAG_LENS_MODEL));
    if (lens == null) {
      lens = first(sub, d -> text(d, ExifDirectoryBase.TAG_LENS_MAKE));
    }
    if (make == null && model == null && lens == null && software == null) {
      return null;
    }
    return new ImageMetadata.Camera(make, model, lens, software);
  }

  private static ImageMetadata.Exposure exposure(Collection<ExifSubIFDDirectory> sub) {
    Integer iso = first(sub, d -> positive(d.getInteger(ExifDirectoryBase.TAG_ISO_EQUIVALENT)));
    if (iso == null) {
      // EXIF 2.3 moved the value to ISOSpeed when ISOSpeedRatings would overflow 16 bits
      iso = first(sub, d -> positive(d.getInteger(ExifDirectoryBase.TAG_ISO_SPEED)));
    }
    Double fNumber = first(sub, d -> decimal(d.getRational(ExifDirectoryBase.TAG_FNUMBER), true));
    String exposureTime = first(sub, d -> asWritten(d.getRational(ExifDirectoryBase.TAG_EXPOSURE_TIME)));
    Double focalLength = first(sub, d -> decimal(d.getRational(ExifDirectoryBase.TAG_FOCAL_LENGTH), true));
    if (iso == null && fNumber == null && exposureTime == null && focalLength == null) {
      return null;
    }
    return new ImageMetadata.Exposure(iso, fNumber, exposureTime, focalLength);
  }

  private static int orientation(Collection<ExifIFD0Directory> ifd0) {
    Integer value = first(ifd0, d -> d.getInteger(ExifDirectoryBase.TAG_ORIENTATION));
    // Anything outside the eight defined values (0 is common) means "as stored"
    return value != null && value >= 1 && value <= 8 ? value : 1;
  }

  /** The first non-null result of {@code read} over the directories, in file order. */
  private static <D extends Directory, T> T first(Collection<D> dirs, Function<D, T> read) {
    for (D dir : dirs) {
      T value = read.apply(dir);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /** Trimmed text; {@code null} for absent or blank (cameras pad ASCII fields with spaces and NULs). */
  private static String text(Directory dir, int tag) {
    String value = dir.getString(tag);
    if (value == null) {
      return null;
    }
    String trimmed = value.replace('\0', ' ').trim();
    return trimmed.isEmpty() ? null : trimmed;
  }

  private static Integer positive(Integer value) {
    return value != null && value > 0 ? value : null;
  }

  /** The rational as a double; {@code null} for absent, 0/0-style or (when asked) non-positive values. */
  private static Double decimal(Rational value, boolean mustBePositive) {
    if (value == null || value.getDenominator() == 0) {
      return null;
    }
    double d = value.doubleValue();
    if (!Double.isFinite(d) || (mustBePositive && d <= 0)) {
      return null;
    }
    return d;
  }

  /** "107/500000" exactly as stored: clients show it as the camera wrote it, so it is not simplified. */
  private static String asWritten(Rational value) {
    if (value == null || value.getDenominator() <= 0 || value.getNumerator() <= 0) {
      return null;
    }
    return value.getNumerator() + "/" + value.getDenominator();
  }
}
