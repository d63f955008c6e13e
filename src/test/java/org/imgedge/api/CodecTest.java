package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.ImageChecks;
import org.imgedge.testing.Photo;
import org.imgedge.testing.Pixels;
import org.imgedge.testing.RunningApp;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two JPEG codecs an operator can choose ({@code imaging.codec}: libjpeg-turbo or ImageIO), each
 * behind a server of its own: every photo is accepted with the right variant sizes, and the two
 * servers' variants of a photo look alike. The servers run in separate Vert.x instances: within one,
 * they would share the imaging event-bus address (see {@link DeploymentIsolationTest}).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 4, timeUnit = TimeUnit.MINUTES)
class CodecTest {

  /** Mean absolute difference (0..255, 32x32 grid) under which two variants show the same picture. */
  static final double SAME_PICTURE = 3.0;

  @RegisterExtension
  static final RunningApp turbo = new RunningApp(codec("turbo"));
  @RegisterExtension
  static final RunningApp imageIo = new RunningApp(codec("imageio"));

  @ParameterizedTest
  @MethodSource("org.imgedge.testing.Photo#all")
  @DisplayName("libjpeg-turbo and ImageIO servers both accept the photo with correct sizes, and their variants look alike")
  void bothCodecs(Photo photo, VertxTestContext ctx) {
    Future.all(variants(turbo.get(), photo), variants(imageIo.get(), photo))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          Rendered t = all.resultAt(0);
          Rendered i = all.resultAt(1);
          assertThat(t.etags()).as("two codecs, two different encodings: the setting took effect")
              .doesNotContainAnyElementsOf(i.etags());
          for (int v = 0; v < 2; v++) {
            BufferedImage a = t.decoded().get(v);
            BufferedImage b = i.decoded().get(v);
            assertThat(b.getWidth()).isEqualTo(a.getWidth());
            assertThat(b.getHeight()).isEqualTo(a.getHeight());
            double diff = Pixels.meanAbsDiff(a, b);
            System.out.printf("codecs: %s %s turbo vs imageio mean abs diff %.3f%n", photo, v == 0 ? "small" : "medium", diff);
            assertThat(diff).as("%s: turbo and imageio variants look alike", photo).isLessThan(SAME_PICTURE);
          }
          ctx.completeNow();
        })));
  }

  /** The small and medium variants of one upload, decoded, with their ETags. */
  record Rendered(List<BufferedImage> decoded, List<String> etags) {}

  /** Uploads the photo, checks the Image, and returns its small and medium variants. */
  private static Future<Rendered> variants(TestApp app, Photo photo) {
    return app.upload(TestApp.ALICE, photo.file()).expecting(HttpResponseExpectation.SC_CREATED)
        .compose(r -> {
          JsonObject image = r.bodyAsJsonObject();
          ImageChecks.assertVariants(image, photo.displayedWidth(), photo.displayedHeight());
          assertThat(image.getJsonObject("original").getInteger("width")).isEqualTo(photo.displayedWidth());
          return Future.all(
              app.get(ImageChecks.versioned(image, "small"), null).send().expecting(HttpResponseExpectation.SC_OK),
              app.get(ImageChecks.versioned(image, "medium"), null).send().expecting(HttpResponseExpectation.SC_OK));
        })
        .map(all -> {
          List<io.vertx.ext.web.client.HttpResponse<Buffer>> r = all.list();
          return new Rendered(r.stream().map(CodecTest::decode).toList(), r.stream().map(x -> x.getHeader("ETag")).toList());
        });
  }

  private static BufferedImage decode(io.vertx.ext.web.client.HttpResponse<Buffer> r) {
    return Pixels.decode(r.bodyAsBuffer().getBytes());
  }

  private static JsonObject codec(String name) {
    return new JsonObject().put("imaging", new JsonObject().put("codec", name));
  }
}
