package org.imgedge.app;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.imgedge.auth.AuthConfig;
import org.imgedge.cache.CacheConfig;
import org.imgedge.cache.RedisConfig;
import org.imgedge.cdn.CdnConfig;
import org.imgedge.catalog.DatabaseConfig;
import org.imgedge.config.ConfigException;
import org.imgedge.config.Json;
import org.imgedge.http.HttpConfig;
import org.imgedge.http.UrlsConfig;
import org.imgedge.imaging.ImagingConfig;
import org.imgedge.imaging.Preset;
import org.imgedge.imaging.PresetsConfig;
import org.imgedge.ingest.LimitsConfig;
import org.imgedge.jobs.JobsConfig;
import org.imgedge.logging.LoggingConfig;
import org.imgedge.presets.RegenerationConfig;
import org.imgedge.scrub.ScrubConfig;
import org.imgedge.storage.StorageConfig;
import org.imgedge.upload.UploadsConfig;

/**
 * The whole configuration, parsed once from the merged JSON (see {@link org.imgedge.config.ConfigLoader})
 * into the record each feature owns.
 */
public record AppConfig(
    HttpConfig http,
    StorageConfig storage,
    DatabaseConfig database,
    RedisConfig redis,
    AuthConfig auth,
    LimitsConfig limits,
    List<Preset> presets,
    ImagingConfig imaging,
    CacheConfig cache,
    JobsConfig jobs,
    UrlsConfig urls,
    CdnConfig cdn,
    ScrubConfig scrub,
    RegenerationConfig regeneration,
    LoggingConfig logging,
    UploadsConfig uploads) {

  /** @throws ConfigException naming the first bad key */
  public static AppConfig from(JsonObject json) {
    return new AppConfig(
        HttpConfig.from(new Json(json, "http")),
        StorageConfig.from(new Json(json, "storage")),
        DatabaseConfig.from(new Json(json, "database")),
        RedisConfig.from(new Json(json, "redis")),
        AuthConfig.from(json),
        LimitsConfig.from(new Json(json, "limits")),
        PresetsConfig.from(new Json(json, "presets")),
        ImagingConfig.from(new Json(json, "imaging")),
        CacheConfig.from(new Json(json, "cache")),
        JobsConfig.from(new Json(json, "jobs")),
        UrlsConfig.from(new Json(json, "urls")),
        CdnConfig.from(new Json(json, "cdn")),
        ScrubConfig.from(new Json(json, "scrub")),
        RegenerationConfig.from(new Json(json, "regeneration")),
        LoggingConfig.from(new Json(json, "logging")),
        UploadsConfig.from(new Json(json, "uploads")));
  }
}
