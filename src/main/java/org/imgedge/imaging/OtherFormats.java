package org.imgedge.imaging;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.imaging.codec.AvifEncoder;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.imaging.codec.WebpEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The formats besides JPEG, encoded from the variant's own upright, colour-managed pixels (never from the
 * original), tagged with the same profile as the JPEG. A format this node cannot encode, or whose encode
 * fails, is left out: the variant records the spec of what it has, so the regeneration makes the rest
 * later, on a node that can. The JPEG alone is what an upload cannot do without.
 *
 * <p>WebP is encoded beside the worker that makes the variants ({@link #start}): a medium WebP takes several
 * times its JPEG, and would otherwise add its whole time to the upload (bench/upload.sh --formats).
 */
final class OtherFormats {

  private static final Logger log = LoggerFactory.getLogger(OtherFormats.class);
  /** Each kind of failure (format and exception class) is logged once: a broken encoder fails every image. */
  private static final Set<String> logged = ConcurrentHashMap.newKeySet();

  /**
   * One thread per core for the WebP encodes. A task the pool has not started when its worker wants it is run
   * by that worker ({@link Pending#join}), so a busy pool never makes an upload wait longer than encoding alone.
   */
  private static final ExecutorService BESIDE = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
      daemonThreads("imgedge-webp-"));

  private OtherFormats() {}

  /**
   * The other formats of one variant, under way: its WebP on the {@link #BESIDE} pool from now on, its AVIF (which
   * takes seconds, and runs only in the regeneration, whose concurrency bounds it) at {@link Pending#join}.
   */
  static Pending start(Preset preset, Raster upright, ColorPlan color, Path scratch) {
    Pending pending = new Pending(() -> encode(preset.without(VariantFormat.AVIF), upright, color, scratch),
        () -> encode(preset.without(VariantFormat.WEBP), upright, color, scratch));
    if (preset.formats().contains(VariantFormat.WEBP)) {
      BESIDE.execute(pending::encodeBesideUnlessClaimed);
    }
    return pending;
  }

  /**
   * See {@link #start}. Whoever claims the WebP encode first runs it: a pool thread, the worker at {@link #join}, or
   * nobody, when {@link #abandon} claims it for a job that failed.
   */
  static final class Pending {
    private final Supplier<Map<VariantFormat, byte[]>> beside;
    private final Supplier<Map<VariantFormat, byte[]>> inline;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CountDownLatch ended = new CountDownLatch(1);
    /** Set before {@link #ended} counts down: the WebP, or what escaped its encode (an Error: out of memory). */
    private Map<VariantFormat, byte[]> encoded;
    private Throwable escaped;

    /** @param beside what a pool thread may run (the WebP); {@code inline} is run by {@link #join} (the AVIF) */
    Pending(Supplier<Map<VariantFormat, byte[]>> beside, Supplier<Map<VariantFormat, byte[]>> inline) {
      this.beside = beside;
      this.inline = inline;
    }

    /** What the pool runs; also the start of {@link #join}. */
    void encodeBesideUnlessClaimed() {
      if (claimed.compareAndSet(false, true)) {
        try {
          encoded = beside.get();
        } catch (Throwable e) {
          escaped = e;
        } finally {
          ended.countDown();
        }
      }
    }

    /**
     * For a variant whose job failed: drops the WebP encode if no thread has started it, and waits for it to end if
     * one has, so that the job's memory is free when its admission is released. Does nothing after {@link #join}.
     */
    void abandon() {
      if (!claimed.compareAndSet(false, true)) {
        awaitUninterruptibly();
      }
    }

    /**
     * Blocking: every format made, as {@link #encode} returns them.
     *
     * @throws Error what escaped an encode (out of memory), as it was thrown: the upload is answered 503, not 422
     */
    Map<VariantFormat, byte[]> join() {
      Map<VariantFormat, byte[]> out = new EnumMap<>(VariantFormat.class);
      out.putAll(inline.get());
      encodeBesideUnlessClaimed(); // does nothing when a pool thread has started it
      awaitUninterruptibly();
      if (escaped instanceof Error error) {
        throw error;
      }
      if (escaped != null) {
        throw new IllegalStateException("an encode escaped its own error handling", escaped);
      }
      out.putAll(encoded);
      return out;
    }

    /** A WebP encode of a variant takes well under a second: an interrupt is kept for later, not obeyed. */
    private void awaitUninterruptibly() {
      boolean interrupted = false;
      while (true) {
        try {
          ended.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * @param scratch where an encoder that writes through a file writes it (the job's folder in the store's
   *     staging area); null for the temporary directory
   * @return the file of each of the preset's formats other than JPEG that this node could encode
   */
  static Map<VariantFormat, byte[]> encode(Preset preset, Raster upright, ColorPlan color, Path scratch) {
    Map<VariantFormat, byte[]> out = new EnumMap<>(VariantFormat.class);
    if (preset.formats().size() == 1) {
      return out;
    }
    RgbImage rgb = upright.toRgb();
    for (VariantFormat f : preset.formats()) {
      if (f == VariantFormat.JPEG || !EncodableFormats.encodable(f)) {
        continue;
      }
      try {
        out.put(f, encode(f, preset, rgb, color.profile(), scratch));
      } catch (Exception e) {
        if (logged.add(f + " " + e.getClass().getName())) {
          log.warn("{} variants: an encode failed, the variants are made without this format until it works (the"
              + " regeneration tries again); first failure of this kind: {}", f.wire(), e.toString());
        }
      }
    }
    return out;
  }

  private static byte[] encode(VariantFormat f, Preset preset, RgbImage rgb, byte[] icc, Path scratch) throws Exception {
    return switch (f) {
      case JPEG -> throw new IllegalArgumentException("JPEG is encoded with the variant");
      case WEBP -> {
        byte[] webp = WebpEncoder.encode(rgb, preset.webpQuality());
        yield icc == null ? webp : WebpEncoder.withIcc(webp, rgb.width(), rgb.height(), icc);
      }
      case AVIF -> AvifEncoder.encode(rgb, preset.avifQuality(), icc, scratch);
    };
  }
}
