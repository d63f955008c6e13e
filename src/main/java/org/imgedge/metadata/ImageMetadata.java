package org.imgedge.metadata;

import io.vertx.core.json.JsonObject;

/**
 * What a photo says about itself, as API.md's {@code metadata} object. Absent data is {@code null}.
 *
 * @param takenAt     the camera's local time as written in EXIF ({@code 2019-01-19T13:13:04}), no zone invented
 * @param orientation EXIF orientation 1..8; 1 when the file has none
 */
public record ImageMetadata(String takenAt, Gps gps, Camera camera, Exposure exposure, int orientation) {

  public static final ImageMetadata NONE = new ImageMetadata(null, null, null, null, 1);

  /** Decimal degrees (south and west negative); altitude in metres, {@code null} when absent. */
  public record Gps(double latitude, double longitude, Double altitude) {}

  public record Camera(String make, String model, String lens, String software) {}

  /** {@code exposureTime} is the EXIF rational as written ("107/500000"); fNumber and focalLength (mm) as decimals. */
  public record Exposure(Integer iso, Double fNumber, String exposureTime, Double focalLength) {}

  public JsonObject toJson() {
    return new JsonObject()
        .put("takenAt", takenAt)
        .put("gps", gps == null ? null : new JsonObject()
            .put("latitude", gps.latitude()).put("longitude", gps.longitude()).put("altitude", gps.altitude()))
        .put("camera", camera == null ? null : new JsonObject()
            .put("make", camera.make()).put("model", camera.model())
            .put("lens", camera.lens()).put("software", camera.software()))
        .put("exposure", exposure == null ? null : new JsonObject()
            .put("iso", exposure.iso()).put("fNumber", exposure.fNumber())
            .put("exposureTime", exposure.exposureTime()).put("focalLength", exposure.focalLength()))
        .put("orientation", orientation);
  }
}
