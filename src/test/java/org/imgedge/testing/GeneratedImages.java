package org.imgedge.testing;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.imgedge.imaging.codec.RgbImage;

/** Small images made on the spot: PNGs each different from every other, for tests that need many, and raw pixels for codecs. */
public final class GeneratedImages {

  private GeneratedImages() {}

  /** A 64x64 PNG whose colours and pattern depend on {@code index}: distinct bytes for distinct indexes. */
  public static Buffer png(int index) {
    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    int base = ((index * 37) & 0xff) << 16 | ((index * 91) & 0xff) << 8 | (index & 0xff);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        // the index's bits as a row of squares, so even equal colours would give different pictures
        boolean bit = y < 8 && ((index >> (x / 2)) & 1) == 1;
        image.setRGB(x, y, bit ? ~base & 0xffffff : base ^ (x * 4 << 8) ^ (y * 4));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  /** Pixels whose bytes step by {@code step} and wrap: busy enough that an encoder has real work, and the same on every run. */
  public static RgbImage ramp(int width, int height, int step) {
    RgbImage img = RgbImage.allocate(width, height);
    for (int i = 0; i < img.rgb().length; i++) {
      img.rgb()[i] = (byte) (i * step);
    }
    return img;
  }

  /**
   * Uploads {@code count} generated PNGs as raw bodies, {@code lanes} at a time (more would only meet
   * the imaging admission limit).
   *
   * @return the image ids, in index order
   */
  public static Future<List<String>> upload(TestApp app, String key, int first, int count, int lanes) {
    String[] ids = new String[count];
    List<Future<Void>> running = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      running.add(uploadLane(app, key, first, count, lanes, lane, ids));
    }
    return Future.all(running).map(v -> List.of(ids));
  }

  private static Future<Void> uploadLane(TestApp app, String key, int first, int count, int lanes, int next, String[] ids) {
    if (next >= count) {
      return Future.succeededFuture();
    }
    return app.uploadRaw(key, png(first + next), "image/png")
        .expecting(HttpResponseExpectation.SC_CREATED)
        .compose(r -> {
          ids[next] = r.bodyAsJsonObject().getString("id");
          return uploadLane(app, key, first, count, lanes, next + lanes, ids);
        });
  }
}
