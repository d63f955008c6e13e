package org.imgedge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/** Checks an Image object against API.md and the default presets of conf/config.json. */
public final class ImageChecks {

  /** The default presets: the box each variant must fit in. */
  public static final Map<String, Integer> PRESETS = Map.of("small", 400, "medium", 1000);

  private ImageChecks() {}

  /** The parts every Image has, whatever the upload was. */
  public static void assertWellFormed(JsonObject image) {
    String id = image.getString("id");
    assertThat(id).as("id: URL-safe, long enough to hold 64 random bits").matches("[A-Za-z0-9_-]{16,}");
    assertThat(image.getString("createdAt")).as("createdAt in UTC").endsWith("Z");
    assertThat(Instant.parse(image.getString("createdAt"))).isBeforeOrEqualTo(Instant.now());
    assertThat(image.getJsonObject("original")).isNotNull();
    assertThat(image.getJsonObject("analysis").getString("status")).isEqualTo("pending");
    assertThat(image.getValue("metadata")).as("metadata is an object").isInstanceOf(JsonObject.class);
  }

  /**
   * Each default preset is there: inside its box, as large as the box allows without upscaling, the
   * original's aspect ratio kept within a pixel, a versioned URL of this image.
   */
  public static void assertVariants(JsonObject image, int width, int height) {
    JsonObject variants = image.getJsonObject("variants");
    assertThat(variants.fieldNames()).containsExactlyInAnyOrderElementsOf(PRESETS.keySet());
    PRESETS.forEach((preset, box) -> {
      JsonObject v = variants.getJsonObject(preset);
      int w = v.getInteger("width");
      int h = v.getInteger("height");
      String what = preset + " of " + width + "x" + height;
      assertThat(Math.max(w, h)).as("%s: longest side", what).isEqualTo(Math.min(box, Math.max(width, height)));
      assertThat(Math.min(w, h)).as("%s: shorter side", what).isGreaterThan(0);
      assertThat((double) w * height / width).as("%s: aspect ratio", what).isCloseTo(h, within(1.0));
      assertThat(v.getString("url")).as("%s: url", what)
          .matches("/v1/images/" + image.getString("id") + "/" + preset + "\\.jpg\\?v=[A-Za-z0-9_-]+");
      assertThat(v.getString("contentType")).isEqualTo("image/jpeg");
      assertThat(v.getLong("bytes")).isPositive();
    });
  }

  /** The URL of a variant without its {@code ?v=} version: the stable by-name URL. */
  public static String byName(JsonObject image, String preset) {
    String url = image.getJsonObject("variants").getJsonObject(preset).getString("url");
    return url.substring(0, url.indexOf('?'));
  }

  public static String versioned(JsonObject image, String preset) {
    return image.getJsonObject("variants").getJsonObject(preset).getString("url");
  }
}
