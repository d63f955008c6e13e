package org.imgedge.api;

import io.vertx.core.json.JsonObject;
import org.imgedge.catalog.Image;
import org.imgedge.catalog.Variant;
import org.imgedge.http.UrlSignature;

/** The Image object of API.md. */
final class ImageJson {

  private ImageJson() {}

  static JsonObject of(Image image, UrlSignature signature) {
    Image.Original o = image.original();
    JsonObject variants = new JsonObject();
    for (Variant v : image.variants().values()) {
      // each format the variant has now, so that an app picks a URL it can decode and a CDN needs no Vary
      JsonObject formats = new JsonObject();
      for (Variant file : v.files()) {
        formats.put(file.format().wire(), new JsonObject()
            .put("url", VariantsApi.url(image.id(), file, signature))
            .put("bytes", file.bytes())
            .put("contentType", file.format().contentType()));
      }
      variants.put(v.preset(), new JsonObject()
          .put("url", VariantsApi.url(image.id(), v, signature))
          .put("width", v.width())
          .put("height", v.height())
          .put("bytes", v.bytes())
          .put("contentType", "image/jpeg")
          .put("formats", formats));
    }
    JsonObject analysis = new JsonObject().put("status", image.analysisStatus().wire());
    if (image.analysisResult() != null) {
      analysis.put("result", image.analysisResult());
    }
    if (image.analysisError() != null) {
      analysis.put("error", image.analysisError()); // the last failure, also while a retry is pending
    }
    return new JsonObject()
        .put("id", image.id())
        .put("createdAt", image.createdAt().toString())
        .put("original", new JsonObject()
            .put("contentType", o.contentType())
            .put("bytes", o.bytes())
            .put("width", o.width())
            .put("height", o.height())
            .put("sha256", o.sha256()))
        .put("metadata", image.metadata())
        .put("variants", variants)
        // null until made: images recorded before placeholders get theirs from the regeneration
        .put("placeholder", image.thumbHash() == null ? null : new JsonObject().put("thumbhash", image.thumbHash()))
        .put("analysis", analysis);
  }
}
