package org.imgedge.imaging;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.logging.RequestContext;
import org.imgedge.support.DiskFull;
import org.imgedge.support.Hashing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker verticle that renders the variants of one upload at a time. It receives paths, not bytes
 * (the event bus would copy them), writes each variant's files (the JPEG and the other formats made) into
 * the given folder and answers with their sizes and hashes. Bad bytes are answered with the failure code of
 * their {@link ImagingException.Kind}.
 */
public final class ImagingVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ImagingVerticle.class);
  /** The prefix of the event-bus address; each service appends its own id (see {@link #address}). */
  public static final String ADDRESS = "imaging.variants";
  /** The failure code for "the variants could not be written: the disk is full" (kinds of bad input use 1..n). */
  public static final int STORAGE_FULL = 507;

  private final String address;
  private final VariantPipeline pipeline;

  /** @param address from {@link #address}: shared by this service's ingest and its workers only */
  public ImagingVerticle(String address, VariantPipeline pipeline) {
    this.address = address;
    this.pipeline = pipeline;
  }

  /**
   * A new address for one service. Two services in one Vert.x (tests, or two configurations side by
   * side) must never take each other's jobs: their limits and codecs may differ.
   */
  public static String address() {
    return ADDRESS + "." + UUID.randomUUID();
  }

  @Override
  public Future<?> start() {
    ImagingJob.registerCodecs(vertx.eventBus());
    return vertx.eventBus().<ImagingJob>localConsumer(address, this::render).completion();
  }

  private void render(Message<ImagingJob> message) {
    String requestId = message.headers().get(RequestContext.MDC_KEY);
    if (requestId != null) {
      RequestContext.bind(requestId);
    }
    try {
      render(message, message.body());
    } finally {
      RequestContext.unbind(); // this worker's next job may belong to another request
    }
  }

  private void render(Message<ImagingJob> message, ImagingJob job) {
    Path original = job.original();
    try {
      Rendered rendered = pipeline.render(original, job.presets(), job.maxPixels(), job.cancellation(), job.out());
      List<ImagingJob.WrittenVariant> variants = new ArrayList<>();
      for (EncodedVariant v : rendered.variants()) {
        // The folder exists only while the upload waits for us: if it gave up, this write fails and nothing is left.
        Path file = Files.write(job.out().resolve(v.preset().name() + ".jpg"), v.jpeg());
        Map<VariantFormat, ImagingJob.WrittenFile> others = new EnumMap<>(VariantFormat.class);
        for (var e : v.others().entrySet()) {
          Path other = Files.write(job.out().resolve(v.preset().name() + "." + e.getKey().extension()), e.getValue());
          others.put(e.getKey(), new ImagingJob.WrittenFile(e.getValue().length, Hashing.sha256(e.getValue()), other));
        }
        variants.add(new ImagingJob.WrittenVariant(v.preset().name(), v.width(), v.height(), v.jpeg().length,
            Hashing.sha256(v.jpeg()), v.preset().specOf(others.keySet()), file, others));
      }
      message.reply(new ImagingJob.Result(rendered.width(), rendered.height(), rendered.metadata(), List.copyOf(variants),
          Base64.getEncoder().encodeToString(rendered.thumbHash())));
    } catch (ImagingException e) {
      message.fail(e.kind().failureCode(), e.getMessage());
    } catch (Throwable t) {
      if (DiskFull.is(t)) {
        // not a bug: the upload answers 507 and its staging folder is removed by the caller
        log.warn("rendering {} failed: the disk is full", original.getFileName());
        message.fail(STORAGE_FULL, "storage full");
        return;
      }
      log.error("rendering {} failed", original.getFileName(), t);
      message.fail(500, "internal");
    }
  }
}
