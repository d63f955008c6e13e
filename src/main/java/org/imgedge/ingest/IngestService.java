package org.imgedge.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.imgedge.cache.VariantCache;
import org.imgedge.catalog.AnalysisStatus;
import org.imgedge.catalog.BlobIntents;
import org.imgedge.catalog.CatalogRepository;
import org.imgedge.catalog.DuplicateImageException;
import org.imgedge.catalog.Image;
import org.imgedge.catalog.IntentHolder;
import org.imgedge.catalog.IntentLostException;
import org.imgedge.catalog.OutcomeUnknownException;
import org.imgedge.catalog.Variant;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.imaging.Cancellation;
import org.imgedge.imaging.DecodeEstimate;
import org.imgedge.imaging.FormatSniffer;
import org.imgedge.imaging.ImageFormat;
import org.imgedge.imaging.ImagingException;
import org.imgedge.imaging.ImagingJob;
import org.imgedge.imaging.ImagingVerticle;
import org.imgedge.imaging.Preset;
import org.imgedge.imaging.PresetSet;
import org.imgedge.logging.RequestContext;
import org.imgedge.ops.Metrics;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;
import org.imgedge.storage.BlobKey;
import org.imgedge.storage.BlobStore;
import org.imgedge.support.Hashing;
import org.imgedge.support.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a received upload into a recorded image: sniff and hash it, answer a repeat with the existing
 * image, render the variants on an imaging worker, commit the blobs, then record the row. Whatever
 * fails on the way, what this upload stored is removed again.
 */
public final class IngestService {

  private static final Logger log = LoggerFactory.getLogger(IngestService.class);
  /**
   * How long a worker may take to answer at all before its upload's slot is given up: far past any
   * timeout, for a worker lost to a bug. Until then a slow worker keeps its slot, because it still holds a
   * thread and the memory of its decode.
   */
  public static final long WORKER_LOST_MILLIS = 3_600_000;

  private final Vertx vertx;
  private final CatalogRepository catalog;
  private final BlobStore store;
  private final VariantCache cache;
  private final Admission admission;
  private final Metrics metrics;
  private final long maxPixels;
  private final long imagingTimeoutMillis;
  private final String imagingAddress;
  private final DecodeEstimate decodeEstimate;
  /** The deployment's presets as this node last read them: what each upload is made into. */
  private final Supplier<PresetSet> presets;
  private final BlobIntents intents;
  private final IntentHolder holder;
  /** Uploads of the same bytes by the same owner that are under way here: later ones wait for the first. */
  private final Map<String, Future<IngestResult>> inFlight = new ConcurrentHashMap<>();

  public IngestService(Vertx vertx, CatalogRepository catalog, BlobStore store, VariantCache cache, Admission admission,
      Metrics metrics, long maxPixels, long imagingTimeoutMillis, String imagingAddress, DecodeEstimate decodeEstimate,
      BlobIntents intents, IntentHolder holder, Supplier<PresetSet> presets) {
    this.presets = presets;
    this.intents = intents;
    this.holder = holder;
    this.vertx = vertx;
    this.catalog = catalog;
    this.store = store;
    this.cache = cache;
    this.admission = admission;
    this.metrics = metrics;
    this.maxPixels = maxPixels;
    this.imagingTimeoutMillis = imagingTimeoutMillis;
    this.imagingAddress = imagingAddress;
    this.decodeEstimate = decodeEstimate;
  }

  public Future<IngestResult> ingest(Upload upload) {
    String owner = upload.principal().subject();
    // AVIF takes seconds: it is made after the answer, by the regeneration (see PresetSet#forUpload)
    List<Preset> made = presets.get().forUpload();
    return inspect(upload.file(), made).compose(inspected -> catalog.findByOwnerAndSha(owner, inspected.sha256())
        .compose(existing -> existing.isPresent()
            ? Future.succeededFuture(new IngestResult(existing.get(), false))
            : createOnce(upload, inspected, made)));
  }

  private record Inspected(ImageFormat format, String sha256, long bytes, long decodeBytes) {}

  /**
   * Reads the file on a worker thread: its format from the first bytes, its SHA-256 from all, and from its
   * header the memory its decode will take.
   */
  private Future<Inspected> inspect(Path file, List<Preset> made) {
    long start = System.nanoTime();
    return vertx.executeBlocking(() -> {
      long size = Files.size(file);
      if (size == 0) {
        throw AppException.of(ProblemType.BAD_REQUEST, "The upload is empty.");
      }
      byte[] head;
      try (InputStream in = Files.newInputStream(file)) {
        head = in.readNBytes(FormatSniffer.HEAD_BYTES);
      }
      ImageFormat format = FormatSniffer.sniff(head).orElseThrow(() -> AppException.of(
          ProblemType.UNSUPPORTED_FORMAT, "The bytes are not JPEG, PNG, WebP, GIF, HEIC or AVIF."));
      if (!format.readableHere()) {
        throw AppException.of(ProblemType.UNSUPPORTED_FORMAT,
            "The bytes are " + format.label() + ", which this node cannot read: its decoder (libheif) is not installed.");
      }
      return new Inspected(format, Hashing.sha256(file), size, decodeEstimate.bytes(file, format, made));
    }, false).onComplete(r -> metrics.recordStage("inspect", System.nanoTime() - start));
  }

  /** Concurrent uploads of the same bytes by one owner make one image: the others wait and answer 200. */
  private Future<IngestResult> createOnce(Upload upload, Inspected inspected, List<Preset> made) {
    String key = upload.principal().subject() + "/" + inspected.sha256();
    Promise<IngestResult> promise = Promise.promise();
    Future<IngestResult> running = inFlight.putIfAbsent(key, promise.future());
    if (running != null) {
      return running.map(r -> new IngestResult(r.image(), false));
    }
    create(upload, inspected, made).onComplete(r -> {
      inFlight.remove(key);
      promise.handle(r);
    });
    return promise.future();
  }

  private Future<IngestResult> create(Upload upload, Inspected inspected, List<Preset> made) {
    String id = Ids.next();
    return admit(inspected.decodeBytes())
        .compose(ticket -> rendered(id, upload.file(), made, ticket, result -> commitAndRecord(id, upload, inspected, result)));
  }

  /**
   * Renders these presets of a recorded image, from its original staged at {@code original}, under the
   * same admission, memory budget and deadline as an upload. {@code use} gets them while their files
   * exist; they are removed once it completes.
   */
  public <T> Future<T> rerender(String imageId, Path original, List<Preset> made, Function<ImagingJob.Result, Future<T>> use) {
    return inspect(original, made).compose(inspected -> admit(inspected.decodeBytes()))
        .compose(ticket -> rendered("rerender-" + imageId + "-" + Ids.next(), original, made, ticket, use));
  }

  private Future<Admission.Ticket> admit(long decodeBytes) {
    Future<Admission.Ticket> entry = admission.enter(decodeBytes);
    if (entry == null) {
      return Future.failedFuture(AppException.retryLater(ProblemType.OVERLOADED,
          "The service is processing as many uploads as it can; retry shortly.", 2));
    }
    return awaitTurn(entry);
  }

  /** An upload whose decode does not fit the memory budget yet waits, up to the imaging timeout. */
  private Future<Admission.Ticket> awaitTurn(Future<Admission.Ticket> entry) {
    if (entry.isComplete()) {
      return entry;
    }
    Promise<Admission.Ticket> turn = Promise.promise();
    long timer = vertx.setTimer(imagingTimeoutMillis, id -> {
      if (admission.withdraw(entry)) {
        turn.fail(AppException.retryLater(ProblemType.OVERLOADED,
            "The service is decoding as many large images as its memory allows; retry shortly.", 2));
      }
    });
    entry.onSuccess(ticket -> {
      vertx.cancelTimer(timer);
      turn.complete(ticket);
    });
    return turn.future();
  }

  /** Renders {@code original} into the work folder {@code name}, hands the result to {@code use}, then frees both. */
  private <T> Future<T> rendered(String name, Path original, List<Preset> made, Admission.Ticket ticket, Function<ImagingJob.Result, Future<T>> use) {
    Path work = store.stagingDir().resolve(name);
    Promise<Void> workerStopped = Promise.promise();
    return vertx.fileSystem().mkdirs(work.toString())
        .onFailure(e -> workerStopped.tryComplete())
        .compose(v -> render(original, made, work, workerStopped))
        .compose(use)
        .eventually(() -> {
          // The slot, its memory and the work folder are freed only once the worker has stopped. That is before
          // the answer, except after a timeout: then the client is answered at once, and the worker may still
          // be finishing the decode it was told to stop.
          Future<Void> freed = workerStopped.future().compose(v -> {
            admission.leave(ticket);
            return vertx.fileSystem().deleteRecursive(work.toString()).otherwiseEmpty();
          });
          return workerStopped.future().isComplete() ? freed : Future.succeededFuture();
        });
  }

  /**
   * Asks an imaging worker for the variants. After {@code imaging.timeoutSeconds} the upload is answered
   * 503 and the worker told to stop; {@code workerStopped} completes when it has answered, whenever that is.
   */
  private Future<ImagingJob.Result> render(Path original, List<Preset> made, Path work, Promise<Void> workerStopped) {
    long start = System.nanoTime();
    Cancellation cancellation = new Cancellation();
    Promise<ImagingJob.Result> answer = Promise.promise();
    long timer = vertx.setTimer(imagingTimeoutMillis, id -> {
      cancellation.cancel();
      // once per upload, where Vert.x's blocked-thread checker would warn every second (it is set off for imaging)
      log.warn("upload {}: imaging passed its {} s timeout; answered 503, and its worker told to stop", work.getFileName(),
          imagingTimeoutMillis / 1000);
      answer.tryFail(AppException.unavailable("Processing the image took too long."));
    });
    ImagingJob job = new ImagingJob(original, work, made, maxPixels, cancellation);
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(WORKER_LOST_MILLIS);
    String requestId = RequestContext.id();
    if (requestId != null) {
      delivery.addHeader(RequestContext.MDC_KEY, requestId); // the worker's lines about this upload carry its id too
    }
    vertx.eventBus().<ImagingJob.Result>request(imagingAddress, job, delivery)
        .onComplete(reply -> {
          vertx.cancelTimer(timer);
          if (cancellation.cancelled()) {
            log.info("upload {}: its imaging worker stopped {} ms after it was told to", work.getFileName(),
                (System.nanoTime() - start) / 1_000_000 - imagingTimeoutMillis);
          }
          workerStopped.complete();
          if (reply.succeeded()) {
            answer.tryComplete(reply.result().body());
          } else {
            answer.tryFail(fromImaging(reply.cause()));
          }
        });
    return answer.future().onComplete(r -> metrics.recordStage("imaging", System.nanoTime() - start));
  }

  /** The row to record and the files to commit under their keys, from one rendered upload. */
  private record Prepared(Image image, Map<BlobKey, Path> staged) {}

  private Future<IngestResult> commitAndRecord(String id, Upload upload, Inspected inspected, ImagingJob.Result rendered) {
    Prepared prepared = prepare(id, upload, inspected, rendered);
    Image image = prepared.image();
    long start = System.nanoTime();
    return readVariants(prepared)
        // the intent first: from here on a crash leaves blobs the sweep knows of
        .compose(bytes -> intents.open(id, holder, System.currentTimeMillis()).map(bytes))
        .compose(bytes -> store.commit(prepared.staged())
            .recover(e -> intents.close(id, holder).transform(ignored -> Future.failedFuture(e))) // nothing of it stored
            .map(bytes))
        .compose(bytes -> {
          long recording = System.nanoTime();
          metrics.recordStage("store", recording - start);
          return record(image).map(bytes).onSuccess(b -> metrics.recordStage("catalog", System.nanoTime() - recording));
        })
        .map(bytes -> {
          // Filled before the response, so no later request (a delete) can race the fill.
          bytes.forEach((file, b) -> cache.put(image, file.preset(), file.format(), b));
          return new IngestResult(image, true);
        })
        .recover(e -> e instanceof DuplicateImageException
            // another node recorded the same bytes first: answer with its image
            ? catalog.findByOwnerAndSha(image.owner(), image.original().sha256()).map(found -> new IngestResult(found.orElseThrow(), false))
            : Future.failedFuture(e));
  }

  private static Prepared prepare(String id, Upload upload, Inspected inspected, ImagingJob.Result rendered) {
    Map<BlobKey, Path> staged = new LinkedHashMap<>();
    staged.put(BlobKey.original(id), upload.file());
    Map<String, Variant> variants = new LinkedHashMap<>();
    for (ImagingJob.WrittenVariant v : rendered.variants()) {
      staged.putAll(files(id, v));
      variants.put(v.preset(), recorded(v));
    }
    Image image = new Image(id, upload.principal().subject(), Instant.now().truncatedTo(ChronoUnit.MILLIS),
        new Image.Original(inspected.format().mimeType(), inspected.bytes(), rendered.width(), rendered.height(),
            inspected.sha256()),
        rendered.metadata().toJson(), variants, AnalysisStatus.PENDING, null, null, rendered.thumbHash());
    return new Prepared(image, staged);
  }

  /** The record of a variant a worker made, with its other formats. */
  static Variant recorded(ImagingJob.WrittenVariant v) {
    Map<VariantFormat, Variant.Encoding> others = new EnumMap<>(VariantFormat.class);
    v.others().forEach((f, w) -> others.put(f, new Variant.Encoding(w.bytes(), w.sha256())));
    return new Variant(v.preset(), v.width(), v.height(), v.bytes(), v.sha256(), v.spec(), VariantFormat.JPEG, others);
  }

  /** Every file of a variant a worker made, under the key it is stored at. */
  static Map<BlobKey, Path> files(String imageId, ImagingJob.WrittenVariant v) {
    Map<BlobKey, Path> files = new LinkedHashMap<>();
    files.put(BlobKey.variant(imageId, v.preset()), v.file());
    v.others().forEach((f, w) -> files.put(BlobKey.variant(imageId, v.preset(), f), w.file()));
    return files;
  }

  /**
   * Records the row of blobs already committed, closing their intent. When the row certainly did not
   * commit, removes those blobs again, then the intent. When that is unknown, the blobs are left to the
   * sweep: it removes them unless the row exists.
   */
  private Future<Void> record(Image image) {
    return catalog.insert(image, holder).recover(e -> {
      if (e instanceof OutcomeUnknownException) {
        return Future.failedFuture(mayHaveBeenRecorded());
      }
      if (e instanceof IntentLostException) {
        // a sweep took the intent over and removes the blobs; those this upload committed after it are removed here
        return store.deleteImage(image.id())
            .transform(ignored -> Future.failedFuture(AppException.unavailable("Storing the upload took too long; retry shortly.")));
      }
      return store.deleteImage(image.id())
          .compose(v -> intents.close(image.id(), holder))
          .transform(ignored -> Future.failedFuture(e));
    });
  }

  /**
   * The row may have committed just before the connection dropped, so its blobs stay: deleting them
   * could leave a recorded image without its bytes. If the row never came, the intent sweep removes them.
   */
  private static AppException mayHaveBeenRecorded() {
    return AppException.unavailable("The connection to the database was lost while the upload was being recorded, so it"
        + " may have been recorded. Retrying the same bytes is safe: if it was, the retry answers 200 with the image.");
  }

  /** One file of a variant: a preset's, in one format. */
  private record VariantFile(String preset, VariantFormat format) {}

  /** The variants' bytes in every format, read from staging (local files, small) before the commit moves them away. */
  private Future<Map<VariantFile, Buffer>> readVariants(Prepared prepared) {
    String id = prepared.image().id();
    Map<VariantFile, Buffer> bytes = new ConcurrentHashMap<>();
    List<Future<Buffer>> reads = new ArrayList<>();
    for (Variant file : prepared.image().variants().values().stream().flatMap(v -> v.files().stream()).toList()) {
      Path staged = prepared.staged().get(BlobKey.variant(id, file.preset(), file.format()));
      reads.add(vertx.fileSystem().readFile(staged.toString())
          .onSuccess(b -> bytes.put(new VariantFile(file.preset(), file.format()), b)));
    }
    return Future.all(reads).map(v -> bytes);
  }

  /** The imaging worker answers with the status of what was wrong with the bytes. */
  private static Throwable fromImaging(Throwable e) {
    if (!(e instanceof ReplyException re)) {
      return e;
    }
    if (re.failureType() == ReplyFailure.TIMEOUT) {
      log.error("an imaging worker has not answered for {} s: its upload slot is given up", WORKER_LOST_MILLIS / 1000);
      return AppException.unavailable("Processing the image took too long.");
    }
    if (re.failureType() == ReplyFailure.NO_HANDLERS) {
      return AppException.unavailable("No imaging worker is running.");
    }
    if (re.failureCode() == ImagingVerticle.STORAGE_FULL) {
      return AppException.storageFull();
    }
    return ImagingException.Kind.ofFailureCode(re.failureCode())
        .map(kind -> kind == ImagingException.Kind.OUT_OF_MEMORY || kind == ImagingException.Kind.CANCELLED
            ? AppException.unavailable(re.getMessage())
            : AppException.of(problemOf(kind), re.getMessage()))
        .orElseGet(() -> AppException.of(ProblemType.INTERNAL, "The image could not be processed.", re));
  }

  private static ProblemType problemOf(ImagingException.Kind kind) {
    return switch (kind) {
      case TOO_MANY_PIXELS -> ProblemType.TOO_MANY_PIXELS;
      case UNSUPPORTED_FORMAT -> ProblemType.UNSUPPORTED_FORMAT;
      case UNDECODABLE -> ProblemType.UNDECODABLE;
      case TOO_MANY_SCANS -> ProblemType.TOO_MANY_SCANS;
      case OUT_OF_MEMORY, CANCELLED -> ProblemType.UNAVAILABLE;
    };
  }
}
