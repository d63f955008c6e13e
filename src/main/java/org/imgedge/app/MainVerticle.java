package org.imgedge.app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.imgedge.api.ImagesApi;
import org.imgedge.api.JobsApi;
import org.imgedge.api.OpsApi;
import org.imgedge.api.OriginalsApi;
import org.imgedge.api.PresetsApi;
import org.imgedge.api.ScrubApi;
import org.imgedge.api.UploadsApi;
import org.imgedge.api.VariantsApi;
import org.imgedge.auth.ApiKey;
import org.imgedge.auth.ApiKeys;
import org.imgedge.auth.Authenticator;
import org.imgedge.auth.KeyFile;
import org.imgedge.cache.InvalidationVerticle;
import org.imgedge.cache.ListPageCache;
import org.imgedge.cache.RedisTier;
import org.imgedge.cache.VariantCache;
import org.imgedge.catalog.AnalysisStatus;
import org.imgedge.catalog.BlobIntents;
import org.imgedge.catalog.CatalogRepository;
import org.imgedge.catalog.Database;
import org.imgedge.catalog.IntentHolder;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.cdn.CdnPurger;
import org.imgedge.cdn.PurgePlan;
import org.imgedge.http.Api;
import org.imgedge.http.FastPath;
import org.imgedge.http.ConnectionCap;
import org.imgedge.http.HttpConfig;
import org.imgedge.http.HttpVerticle;
import org.imgedge.http.UrlSignature;
import org.imgedge.imaging.DecodeEstimate;
import org.imgedge.imaging.EncodableFormats;
import org.imgedge.imaging.ImagingVerticle;
import org.imgedge.imaging.Preset;
import org.imgedge.imaging.PresetSet;
import org.imgedge.imaging.VariantPipeline;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.ingest.UploadRate;
import org.imgedge.ingest.Admission;
import org.imgedge.ingest.DeleteService;
import org.imgedge.ingest.IngestService;
import org.imgedge.ingest.IntentSweep;
import org.imgedge.ingest.OrphanSweep;
import org.imgedge.ingest.VariantRemaker;
import org.imgedge.jobs.JobQueue;
import org.imgedge.ops.Health;
import org.imgedge.ops.Metrics;
import org.imgedge.presets.Regeneration;
import org.imgedge.presets.SharedPresets;
import org.imgedge.scrub.Scrub;
import org.imgedge.scrub.ScrubConfig;
import org.imgedge.storage.BlobStore;
import org.imgedge.storage.PartStore;
import org.imgedge.upload.TusService;
import org.imgedge.upload.TusSweep;
import org.imgedge.upload.UploadsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the service from its configuration: builds the shared services once, then deploys the
 * imaging workers and the HTTP verticles, in that order, so no upload arrives before a worker can take it.
 */
public final class MainVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(MainVerticle.class);

  private final List<HttpVerticle> httpVerticles = new ArrayList<>();
  private final Metrics metrics;
  private Pool pool;
  private Redis redis;
  private Authenticator authenticator;
  private BlobStore store;
  private long statsTimer = -1;
  private long sweepTimer = -1;
  private long intentSweepTimer = -1;
  private long scrubTimer = -1;
  private long uploadSweepTimer = -1;
  private PartStore parts;
  private IntentHolder holder;
  private Admission admission;
  private int drainSeconds;
  /** Null without {@code http.managementPort}. */
  private HttpVerticle management;
  private static final long QUEUE_STATS_PERIOD_MILLIS = 15_000;
  private static final long SWEEP_PERIOD_MILLIS = 3_600_000;
  private static final long INTENT_SWEEP_PERIOD_MILLIS = 60_000;
  private static final long UPLOAD_SWEEP_MAX_PERIOD_MILLIS = 60_000;

  /** With a registry of its own, without Vert.x's meters (those need the registry before Vert.x is built). */
  public MainVerticle() {
    this(new Metrics());
  }

  public MainVerticle(Metrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    AppConfig config = AppConfig.from(config());
    drainSeconds = config.http().drainSeconds();
    if (config.redis().url() != null) {
      // a fixed pool name: the default is a random UUID, a new vertx_pool_* series on every start
      redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redis().url()).setMaxPoolWaiting(1024)
          .setPoolName("redis"));
    }
    Path dir = config.storage().dir();
    Admission admission = new Admission(config.imaging().queue(), config.imaging().memoryBudgetBytes());
    this.admission = admission;
    metrics.gauge("imgedge_upload_queue_depth", "Uploads being processed or waiting for an imaging worker", admission::inFlight);
    metrics.gauge("imgedge_imaging_memory_reserved_bytes", "Decode memory reserved by admitted uploads, of imaging.memoryBudgetBytes",
        admission::reservedBytes);

    Future<List<ApiKey>> keys = vertx.executeBlocking(() -> {
      // before anything is written: a port taken by another process stops the start with nothing left behind
      PortCheck.free("http.port", config.http().host(), config.http().port());
      if (config.http().managementPort().isPresent()) {
        PortCheck.free("http.managementPort", config.http().host(), config.http().managementPort().getAsInt());
      }
      Files.createDirectories(dir);
      // An S3 client reads credentials and TLS material from disk as it is built: not on the event loop.
      store = BlobStore.timed(BlobStore.create(vertx, config.storage()), metrics::recordStorage);
      store.clearStaging();
      parts = PartStore.create(vertx, config.storage());
      holder = IntentHolder.newBoot(NodeIdFile.loadOrCreate(dir));
      return config.auth().keys().isEmpty() ? KeyFile.loadOrCreate(dir) : config.auth().keys();
    });
    return keys.compose(k -> Authenticator.create(vertx, new ApiKeys(k), config.auth().jwt())).compose(auth -> {
      authenticator = auth;
      return Database.open(vertx, config.database(), dir);
    }).compose(db -> {
      pool = db.pool();
      // the deployment's presets are the configured ones whatever this node can encode: what it cannot, it leaves
      // to the nodes that can (test encodes take a moment, so they run off the event loop)
      return vertx.executeBlocking(EncodableFormats::here).compose(encodable -> SharedPresets.apply(db.sql(),
          new PresetSet(config.presets())).compose(presets -> {
            logMissingEncoders(presets.current(), encodable, config.regeneration().concurrency() > 0);
            return startWith(config, db, authenticator, presets, encodable, metrics, admission);
          }));
    }).onSuccess(v -> log.info("imgedge listening on {}:{}{} (node {}, {} transport, storage {}, database {}, presets {})",
        config.http().host(), httpPort(), managementPort().isPresent() ? ", health and metrics also on " + managementPort().getAsInt() : "",
        holder.node(), vertx.isNativeTransportEnabled() ? "epoll" : "NIO",
        config.storage().s3().enabled() ? "S3 bucket " + config.storage().s3().bucket() : dir.toAbsolutePath(),
        config.database().url() == null ? "embedded SQLite" : "PostgreSQL", config.presets()));
  }

  /** Builds the services over the opened database and deploys the verticles. */
  /** One line when this node cannot encode a format: its uploads lack it, and it may not regenerate. */
  private static void logMissingEncoders(PresetSet shared, Set<VariantFormat> encodable, boolean regenerates) {
    Map<VariantFormat, Throwable> missing = EncodableFormats.missingHere();
    if (missing.isEmpty()) {
      return;
    }
    String formats = missing.keySet().stream().map(VariantFormat::wire).collect(Collectors.joining(" and "));
    // a load failure's message goes on to list every path tried: its first line says it
    String why = missing.values().stream().map(e -> e.toString().lines().findFirst().orElse("")).collect(Collectors.joining("; "));
    String regeneration = !regenerates ? "" : encodable.containsAll(shared.formats())
        ? "; the presets do not ask for them" : "; the presets ask for them, so this node does not run the regeneration"
          + " (nodes that can encode every format of the presets make what its uploads lack)";
    log.warn("{} variants: not made on this node, its encoder is unavailable ({}){}", formats, why, regeneration);
  }

  private Future<Void> startWith(AppConfig config, Database.Opened db, Authenticator authenticator, SharedPresets presets,
      Set<VariantFormat> encodable, Metrics metrics, Admission admission) {
      BlobStore store = this.store;
      RedisTier redisTier = redis == null ? null : new RedisTier(vertx, redis, config.redis());
      ListPageCache lists = new ListPageCache(redisTier);
      CatalogRepository catalog = CatalogRepository.sql(db.sql(), lists);
      List<String> presetNames = presets.current().presets().stream().map(Preset::name).toList();
      VariantCache cache = new VariantCache(catalog, store, redisTier, presetNames, name -> presets.current().contains(name),
          (name, format) -> presets.current().get(name).map(p -> p.formats().contains(format)).orElse(false),
          metrics, config.cache().maxBytes());
      String imagingAddress = ImagingVerticle.address();
      VariantPipeline pipeline = pipeline(config);
      metrics.counter("imgedge_imaging_color_profiles_ignored", "Embedded colour profiles that could not be used (broken, not"
          + " RGB): those pictures were treated as sRGB", pipeline::ignoredProfiles);
      BlobIntents intents = new BlobIntents(db.sql());
      IngestService ingest = new IngestService(vertx, catalog, store, cache, admission, metrics,
          config.limits().maxPixels(), config.imaging().timeoutSeconds() * 1000L, imagingAddress,
          new DecodeEstimate(pipeline, config.limits().maxPixels()), intents, holder, presets::current);
      Health health = new Health().require("database", catalog::ping).require("storage", store::check);
      if (redisTier != null) {
        health.optional("redis", redisTier::ping);
      }
      UrlSignature signature = UrlSignature.create(config.urls().signingKeys());
      JobQueue jobs = JobQueue.create(db.sql(), config.jobs(), Clock.systemUTC(), lists);
      watchQueue(jobs, metrics);
      IntentSweep intentSweep = new IntentSweep(intents, catalog, store, holder);
      OrphanSweep sweep = new OrphanSweep(store, catalog);
      CdnPurger purger = new CdnPurger(db.sql(), config.cdn(), metrics, cache::purge);
      PurgePlan purges = new PurgePlan(config.cdn(), signature);
      DeleteService deletes = new DeleteService(catalog, store, cache, purges, purger, intents, holder);
      VariantRemaker remaker = new VariantRemaker(vertx, ingest, store, catalog, cache, purges, purger, presets::current);
      Scrub scrub = new Scrub(vertx, catalog, store, remaker, config.scrub(), metrics);
      presets.onChange(set -> cache.knowPresets(set.presets().stream().map(Preset::name).toList()));
      Regeneration regeneration = new Regeneration(presets, catalog, remaker, db.sql(), holder, config.regeneration(), encodable, metrics);
      scheduleScrub(scrub, config.scrub());
      VariantsApi variants = new VariantsApi(cache, signature);
      UploadRate uploadRate = new UploadRate(config.limits().uploadsPerMinute(), redis, config.redis());
      TusService tus = new TusService(vertx, db.sql(), parts, ingest, config.uploads(), store.stagingDir().resolve("tus"),
          config.limits().maxUploadBytes());
      // the busiest routes first; the originals before the variants, whose path pattern also matches theirs
      OpsApi ops = new OpsApi(health, metrics, openApi());
      Endpoints endpoints = new Endpoints(List.of(new OriginalsApi(catalog, store), variants,
          new ImagesApi(ingest, deletes, catalog, signature, lists, uploadRate), new UploadsApi(tus, uploadRate), new JobsApi(jobs), new ScrubApi(scrub), new PresetsApi(regeneration),
          ops), variants, authenticator, ops);
      Future<String> invalidation = redisTier == null ? Future.succeededFuture()
          : vertx.deployVerticle(new InvalidationVerticle(redis, redisTier, cache, lists));
      return invalidation.compose(v -> vertx.deployVerticle(purger))
          .compose(v -> deployImaging(config, imagingAddress, pipeline))
          .compose(v -> deployHttp(config, endpoints, metrics, store))
          .compose(v -> vertx.deployVerticle(regeneration))
          .onSuccess(v -> sweep(intentSweep, sweep, config))
          .onSuccess(v -> sweepUploads(tus.sweep(), config.uploads()))
          .mapEmpty();
  }

  /**
   * Queue figures for /metrics. A scrape must not wait on the database, so the gauges read figures
   * that a timer refreshes; the same refresh gives up on leases that expired on their last attempt.
   */
  private void watchQueue(JobQueue jobs, Metrics metrics) {
    for (AnalysisStatus status : AnalysisStatus.values()) {
      metrics.clusterGauge("imgedge_analysis_images", "Images by analysis status", "status", status.wire(),
          () -> jobs.latestStats().count(status));
    }
    metrics.clusterGauge("imgedge_analysis_oldest_pending_age_seconds", "Age of the oldest image waiting for analysis",
        () -> jobs.latestStats().oldestPendingAgeSeconds());
    jobs.stats();
    // a timer of this verticle: Vert.x cancels it when the verticle is undeployed
    statsTimer = vertx.setPeriodic(QUEUE_STATS_PERIOD_MILLIS, id -> jobs.stats()
        .onFailure(e -> log.warn("could not read the analysis queue figures: {}", e.getMessage())));
  }

  /**
   * The intent sweep at start (the intents of this node's earlier runs, and expired leases of any node),
   * then every minute. The walk over the whole store is only a safety net, hourly, for blobs that no
   * intent names (written before intents existed, or by a bug): it takes images older than the grace
   * period, and never closer to now than an upload can take between storing its blobs and recording its row.
   */
  private void sweep(IntentSweep intentSweep, OrphanSweep sweep, AppConfig config) {
    intentSweep.run().onFailure(e -> log.warn("intent sweep failed, the next one retries: {}", e.toString()));
    intentSweepTimer = vertx.setPeriodic(INTENT_SWEEP_PERIOD_MILLIS, id -> intentSweep.run()
        .onFailure(e -> log.warn("intent sweep failed, the next one retries: {}", e.toString())));
    Duration grace = Duration.ofSeconds(config.storage().orphanGraceSeconds());
    Duration inFlight = Duration.ofSeconds(config.imaging().timeoutSeconds()).plusMillis(BlobIntents.LEASE_MILLIS);
    Duration periodicGrace = grace.compareTo(inFlight) > 0 ? grace : inFlight;
    sweepTimer = vertx.setPeriodic(SWEEP_PERIOD_MILLIS, id -> sweep.run(Instant.now().minus(periodicGrace))
        .onSuccess(n -> {
          if (n > 0) {
            log.warn("the safety-net sweep removed the blobs of {} image(s) that no row named, which no intent sweep had", n);
          }
        })
        .onFailure(e -> log.warn("orphan sweep failed, the next one retries: {}", e.toString())));
  }

  /**
   * Expired resumable uploads are freed by every node, often enough that an upload's bytes outlive its
   * {@code uploads.expireSeconds} by at most a tenth of it (and at most a minute).
   */
  private void sweepUploads(TusSweep sweep, UploadsConfig config) {
    long period = Math.max(200, Math.min(UPLOAD_SWEEP_MAX_PERIOD_MILLIS, config.expireSeconds() * 100));
    uploadSweepTimer = vertx.setPeriodic(period, id -> sweep.run()
        .onFailure(e -> log.warn("sweep of expired uploads failed, the next one retries: {}", e.toString())));
  }

  /** {@code scrub.intervalHours}: a scrub on this node that often (none when 0). */
  private void scheduleScrub(Scrub scrub, ScrubConfig config) {
    if (config.intervalHours() > 0) {
      scrubTimer = vertx.setPeriodic(TimeUnit.HOURS.toMillis(config.intervalHours()), id -> scrub.start());
    }
  }

  /**
   * The first step of a graceful stop: the HTTP servers stop accepting connections, and the requests
   * under way get up to {@code http.drainSeconds} to finish, while the imaging workers and the database
   * are still there to finish them.
   */
  public Future<Void> drain() {
    List<HttpVerticle> servers;
    synchronized (httpVerticles) {
      servers = List.copyOf(httpVerticles);
    }
    int uploads = admission == null ? 0 : admission.inFlight();
    log.info("imgedge stopping: no new connections; requests under way ({} upload(s) being processed) get up to {} s to finish",
        uploads, drainSeconds);
    long start = System.nanoTime();
    return Future.all(servers.stream().map(HttpVerticle::drain).toList()).andThen(done -> {
      long cut = done.succeeded() ? done.result().<Long>list().stream().mapToLong(Long::longValue).sum() : 0;
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (cut > 0) {
        log.warn("imgedge drain over after {} ms: {} request(s) cut before they were answered", millis, cut);
      } else {
        log.info("imgedge drain over after {} ms: every request answered", millis);
      }
    }).mapEmpty();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(statsTimer);
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(intentSweepTimer);
    vertx.cancelTimer(scrubTimer);
    vertx.cancelTimer(uploadSweepTimer);
    if (parts != null) {
      parts.close();
    }
    if (redis != null) {
      redis.close();
    }
    if (authenticator != null) {
      authenticator.close();
    }
    if (store != null) {
      store.close();
    }
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  /** The port the HTTP server listens on (the real one when the configuration said 0). */
  public int httpPort() {
    return httpVerticles.get(0).actualPort();
  }

  /** The management listener's port (the real one when the configuration said 0); empty when there is none. */
  public OptionalInt managementPort() {
    return management == null ? OptionalInt.empty() : OptionalInt.of(management.actualPort());
  }

  private static VariantPipeline pipeline(AppConfig config) {
    JpegCodec codec = switch (config.imaging().codec()) {
      case "turbo" -> JpegCodec.turbo();
      case "imageio" -> JpegCodec.imageIo();
      default -> JpegCodec.best();
    };
    return VariantPipeline.create(codec, config.imaging().wideGamut());
  }

  private Future<String> deployImaging(AppConfig config, String address, VariantPipeline pipeline) {
    int workers = config.imaging().workers();
    // A pool of its own, so a burst of decodes never starves other blocking work (hashing, SQLite, files).
    return vertx.deployVerticle(() -> new ImagingVerticle(address, pipeline), new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER)
        .setWorkerPoolName("imaging")
        .setWorkerPoolSize(workers)
        // A decode past its timeout is logged once by the upload that waited for it; Vert.x's blocked-thread
        // checker would warn about it every second.
        .setMaxWorkerExecuteTime(IngestService.WORKER_LOST_MILLIS)
        .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setInstances(workers));
  }

  /**
   * What every HTTP verticle instance shares: built once.
   *
   * @param operations what the management listener serves, when there is one
   */
  private record Endpoints(List<Api> apis, FastPath fastPath, Authenticator authenticator, Api operations) {}

  private Future<String> deployHttp(AppConfig config, Endpoints endpoints, Metrics metrics, BlobStore store) {
    Path uploads = store.stagingDir().resolve("uploads");
    ConnectionCap connections = new ConnectionCap(config.http().maxConnections());
    metrics.gauge("imgedge_http_connections_open", "Client connections open", connections::open);
    return vertx.deployVerticle(() -> {
      HttpVerticle verticle = new HttpVerticle(config.http(), endpoints.apis(), endpoints.fastPath(), endpoints.authenticator(), metrics,
          uploads, config.limits().maxUploadBytes(), connections);
      synchronized (httpVerticles) {
        httpVerticles.add(verticle);
      }
      return verticle;
    }, new DeploymentOptions().setInstances(config.http().instances())).compose(id -> deployManagement(config, endpoints, metrics, uploads));
  }

  /**
   * {@code http.managementPort}: health and metrics on a listener with a cap of its own. It is not drained
   * with the others on SIGTERM: the probes keep their answers until the process ends.
   */
  private Future<String> deployManagement(AppConfig config, Endpoints endpoints, Metrics metrics, Path uploads) {
    if (config.http().managementPort().isEmpty()) {
      return Future.succeededFuture();
    }
    HttpConfig settings = config.http().management();
    management = new HttpVerticle(settings, List.of(endpoints.operations()), (request, log) -> false,
        endpoints.authenticator(), metrics, uploads, 0, new ConnectionCap(settings.maxConnections()));
    return vertx.deployVerticle(management);
  }

  private static Buffer openApi() {
    try (var in = MainVerticle.class.getResourceAsStream("/openapi.yaml")) {
      return Buffer.buffer(in.readAllBytes());
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("openapi.yaml is missing from the build", e);
    }
  }
}
