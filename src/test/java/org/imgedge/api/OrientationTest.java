package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imgedge.testing.RunningApp.service;

import io.vertx.core.Future;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.ImageChecks;
import org.imgedge.testing.Pixels;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.WithService;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The EXIF orientation set (the same picture stored with orientation 0..8, landscape and portrait):
 * every medium variant served must be upright and look like the one of the orientation-1 file.
 */
@WithService
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
class OrientationTest {

  /**
   * Mean absolute difference (0..255) on a 32x32 grid below which two variants show the same upright
   * picture. Observed: at most 0.4 between orientations; the reference turned 180 degrees scores 55 to
   * 80, mirrored 35 to 68.
   */
  static final double SAME_PICTURE = 4.0;

  @Test
  @DisplayName("all 18 orientation samples come out upright, with the size and look of the orientation-1 file")
  void everyOrientationIsUpright(VertxTestContext ctx) {
    Map<String, BufferedImage> mediums = new LinkedHashMap<>();
    Map<String, JsonObject> images = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (String shape : new String[] {"landscape", "portrait"}) {
      for (int orientation = 0; orientation <= 8; orientation++) {
        String name = shape + "_" + orientation;
        // one at a time: the default imaging queue would refuse 18 at once
        chain = chain
            .compose(v -> service().upload(TestApp.ALICE, Corpus.file("orientation", name + ".jpg")))
            .expecting(HttpResponseExpectation.SC_CREATED)
            .compose(r -> {
              images.put(name, r.bodyAsJsonObject());
              return service().get(ImageChecks.versioned(r.bodyAsJsonObject(), "medium"), null).send();
            })
            .expecting(HttpResponseExpectation.SC_OK)
            .map(r -> {
              mediums.put(name, Pixels.decode(r.bodyAsBuffer().getBytes()));
              return null;
            });
      }
    }
    chain.onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      for (String shape : new String[] {"landscape", "portrait"}) {
        BufferedImage reference = mediums.get(shape + "_1");
        JsonObject referenceImage = images.get(shape + "_1");
        assertThat(reference.getWidth() > reference.getHeight()).as("%s_1 is %s", shape, shape).isEqualTo(shape.equals("landscape"));
        double turned = Pixels.meanAbsDiff(reference, transformed(reference, rotate180(reference)));
        double mirrored = Pixels.meanAbsDiff(reference, transformed(reference, mirror(reference)));
        System.out.printf("%s_1: mean abs diff to itself turned 180 degrees %.2f, mirrored %.2f%n", shape, turned, mirrored);
        assertThat(turned).as("the measure tells an upside-down picture apart").isGreaterThan(3 * SAME_PICTURE);
        assertThat(mirrored).as("the measure tells a mirrored picture apart").isGreaterThan(3 * SAME_PICTURE);
        for (int orientation = 0; orientation <= 8; orientation++) {
          String name = shape + "_" + orientation;
          BufferedImage medium = mediums.get(name);
          assertThat(images.get(name).getJsonObject("original").getInteger("width"))
              .as("%s displayed width", name).isEqualTo(referenceImage.getJsonObject("original").getInteger("width"));
          assertThat(medium.getWidth()).as("%s width", name).isEqualTo(reference.getWidth());
          assertThat(medium.getHeight()).as("%s height", name).isEqualTo(reference.getHeight());
          double diff = Pixels.meanAbsDiff(reference, medium);
          System.out.printf("orientation %s: mean abs diff to %s_1 = %.2f%n", name, shape, diff);
          assertThat(diff).as("%s looks like %s_1", name, shape).isLessThan(SAME_PICTURE);
        }
      }
      ctx.completeNow();
    })));
  }

  private static AffineTransform rotate180(BufferedImage image) {
    return AffineTransform.getRotateInstance(Math.PI, image.getWidth() / 2.0, image.getHeight() / 2.0);
  }

  private static AffineTransform mirror(BufferedImage image) {
    AffineTransform t = AffineTransform.getTranslateInstance(image.getWidth(), 0);
    t.scale(-1, 1);
    return t;
  }

  private static BufferedImage transformed(BufferedImage image, AffineTransform t) {
    return new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(image, null);
  }
}
