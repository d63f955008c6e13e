package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.imaging.codec.RgbImage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A WebP or AVIF encode that fails leaves that format out of the variant, and fails nothing else; one encoded
 * beside the worker is the file an inline encode makes.
 */
class OtherFormatsTest {

  private static final Preset WITH_WEBP = new Preset("wide", 20000, 85, false, Set.of(VariantFormat.JPEG, VariantFormat.WEBP), 83, 0);

  @Test
  @DisplayName("libwebp refuses a side above 16383: the variant is made without its WebP, while a normal one has it")
  void failedEncodeLeavesTheFormatOut() throws Exception {
    ColorPlan color = ColorPlan.AS_IS;
    Raster tooWide = new Raster.Rgb(RgbImage.allocate(16400, 2));
    assertThat(OtherFormats.encode(WITH_WEBP, tooWide, color, null)).isEmpty();
    Raster normal = new Raster.Rgb(RgbImage.allocate(64, 48));
    assertThat(OtherFormats.encode(WITH_WEBP, normal, color, null)).containsOnlyKeys(VariantFormat.WEBP);
  }

  @Test
  @DisplayName("WebPs started beside their workers, more at once than the pool has threads, are the files inline encodes make")
  void encodesBesideTheWorkerMatchInlineOnes() throws Exception {
    Preset preset = new Preset("medium", 1000, 85, false, Set.of(VariantFormat.JPEG, VariantFormat.WEBP), 83, 0);
    Random random = new Random(7);
    ColorPlan color = ColorPlan.AS_IS;
    List<Raster> rasters = new ArrayList<>();
    List<OtherFormats.Pending> pending = new ArrayList<>();
    for (int i = 0; i < 4 * Runtime.getRuntime().availableProcessors(); i++) {
      RgbImage image = RgbImage.allocate(300 + i, 200);
      random.nextBytes(image.rgb());
      rasters.add(new Raster.Rgb(image));
      pending.add(OtherFormats.start(preset, rasters.get(i), color, null));
    }
    for (int i = 0; i < rasters.size(); i++) {
      assertThat(pending.get(i).join().get(VariantFormat.WEBP))
          .isEqualTo(OtherFormats.encode(preset, rasters.get(i), color, null).get(VariantFormat.WEBP));
    }
  }

  @Test
  @DisplayName("an encode beside the worker that runs out of memory reaches the worker as OutOfMemoryError (503), not"
      + " as a failure to decode (422)")
  void errorBesideReachesTheWorker() {
    OtherFormats.Pending pending = new OtherFormats.Pending(() -> {
      throw new OutOfMemoryError("Java heap space");
    }, Map::of);
    Thread pool = new Thread(pending::encodeBesideUnlessClaimed);
    pool.start();
    assertThatThrownBy(pending::join).isInstanceOf(OutOfMemoryError.class);
  }

  @Test
  @DisplayName("a failed job abandons its encodes: one no thread has started never runs, one running is waited for")
  void abandonWaitsForRunningEncodesOnly() throws Exception {
    OtherFormats.Pending notStarted = new OtherFormats.Pending(() -> {
      throw new AssertionError("an abandoned encode ran");
    }, Map::of);
    notStarted.abandon();
    notStarted.encodeBesideUnlessClaimed(); // as the pool would, after the job failed

    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean encodeEnded = new AtomicBoolean();
    OtherFormats.Pending running = new OtherFormats.Pending(() -> {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      encodeEnded.set(true);
      return Map.of();
    }, Map::of);
    Thread pool = new Thread(running::encodeBesideUnlessClaimed);
    pool.start();
    started.await();
    AtomicBoolean endedWhenAbandoned = new AtomicBoolean();
    Thread worker = new Thread(() -> {
      running.abandon();
      endedWhenAbandoned.set(encodeEnded.get());
    });
    worker.start();
    // released only once the worker waits, or has returned without waiting, which is the failure looked for
    while (worker.getState() != Thread.State.WAITING && worker.getState() != Thread.State.TERMINATED) {
      Thread.onSpinWait();
    }
    release.countDown();
    worker.join();
    assertThat(endedWhenAbandoned).as("the encode had ended when abandon returned").isTrue();
  }
}
