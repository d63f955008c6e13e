package org.imgedge.imaging;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.metadata.ImageMetadata;

/**
 * One upload for an imaging worker: render the {@code presets} of {@code original} into the folder
 * {@code out}, unless {@code cancellation} says the upload stopped waiting. The job and its {@link Result}
 * pass between verticles of one process as the objects themselves (see {@link #registerCodecs}): paths,
 * never the image bytes, which the event bus would copy.
 */
public record ImagingJob(Path original, Path out, List<Preset> presets, long maxPixels, Cancellation cancellation) {

  /**
   * What the worker made: the original's upright size, its metadata, one written JPEG per preset, in order,
   * and the placeholder's ThumbHash as standard base64.
   */
  public record Result(int width, int height, ImageMetadata metadata, List<WrittenVariant> variants, String thumbHash) {}

  /**
   * A variant's JPEG, written to {@code file} in the job's folder, and its other formats' files; {@code spec} is
   * its preset's for the formats it has.
   */
  public record WrittenVariant(String preset, int width, int height, long bytes, String sha256, String spec, Path file,
      Map<VariantFormat, WrittenFile> others) {

    public WrittenVariant {
      others = Map.copyOf(others);
    }
  }

  /** One file of a variant in a format other than JPEG. */
  public record WrittenFile(long bytes, String sha256, Path file) {}

  /** Lets jobs and results travel on the local event bus; idempotent, since tests start several services in one Vert.x. */
  public static void registerCodecs(EventBus bus) {
    register(bus, ImagingJob.class);
    register(bus, Result.class);
  }

  private static <T> void register(EventBus bus, Class<T> type) {
    try {
      bus.registerDefaultCodec(type, new LocalCodec<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // another service in this Vert.x registered it first: the codec is the same
    }
  }

  /** Hands the same immutable record to the receiver; the imaging address is local, so nothing is ever encoded. */
  private record LocalCodec<T>(Class<T> type) implements MessageCodec<T, T> {

    @Override
    public void encodeToWire(io.vertx.core.buffer.Buffer buffer, T t) {
      throw new UnsupportedOperationException("imaging messages stay in this process");
    }

    @Override
    public T decodeFromWire(int pos, io.vertx.core.buffer.Buffer buffer) {
      throw new UnsupportedOperationException("imaging messages stay in this process");
    }

    @Override
    public T transform(T t) {
      return t;
    }

    @Override
    public String name() {
      return "imgedge-local-" + type.getName();
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
