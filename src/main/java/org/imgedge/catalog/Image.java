package org.imgedge.catalog;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One uploaded photo as the catalog records it.
 *
 * @param metadata the {@code metadata} object of API.md, as extracted at upload
 * @param variants by preset name, in preset order
 * @param analysisError  what the AI worker last reported when it failed, or null
 * @param thumbHash the placeholder's ThumbHash, standard base64; null in records made before placeholders,
 *     until the regeneration gives them one
 */
public record Image(
    String id,
    String owner,
    Instant createdAt,
    Original original,
    JsonObject metadata,
    Map<String, Variant> variants,
    AnalysisStatus analysisStatus,
    JsonObject analysisResult,
    String analysisError,
    String thumbHash) {

  /** The untouched upload; width and height as displayed (after EXIF orientation). */
  public record Original(String contentType, long bytes, int width, int height, String sha256) {}

  public Optional<Variant> variant(String preset) {
    return Optional.ofNullable(variants.get(preset));
  }
}
