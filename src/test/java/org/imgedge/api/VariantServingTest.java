package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imgedge.testing.RunningApp.service;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgedge.support.Ids;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.ImageChecks;
import org.imgedge.testing.Jpeg;
import org.imgedge.testing.Pixels;
import org.imgedge.testing.Problems;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.WithService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET|HEAD /v1/images/{id}/{preset}.jpg}: the bytes phones and CDNs fetch, with no key. */
@WithService
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
class VariantServingTest {

  static final String IMMUTABLE = "public, max-age=31536000, immutable";
  static final String REVALIDATE = "public, max-age=60, must-revalidate";

  /** A photo with GPS coordinates in its EXIF, so the variants have something to leak. */
  private static JsonObject image;

  @BeforeAll
  static void upload(VertxTestContext ctx) {
    service().upload(TestApp.ALICE, Corpus.file("photos", "nokia-lumia-800.jpg"))
        .expecting(HttpResponseExpectation.SC_CREATED)
        .onComplete(ctx.succeeding(r -> {
          image = r.bodyAsJsonObject();
          ctx.verify(() -> assertThat(image.getJsonObject("metadata").getValue("gps")).as("the photo has GPS").isNotNull());
          ctx.completeNow();
        }));
  }

  @ParameterizedTest
  @ValueSource(strings = {"small", "medium"})
  @DisplayName("the versioned URL answers the JPEG with exact length, strong ETag, Last-Modified and a year of caching")
  void versionedUrl(String preset, VertxTestContext ctx) {
    JsonObject variant = image.getJsonObject("variants").getJsonObject(preset);
    service().get(variant.getString("url"), null).send()
        .expecting(HttpResponseExpectation.SC_OK)
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          byte[] bytes = r.bodyAsBuffer().getBytes();
          assertThat(r.getHeader("Content-Type")).isEqualTo("image/jpeg");
          assertThat(r.getHeader("Content-Length")).isEqualTo(String.valueOf(bytes.length));
          assertThat((long) bytes.length).as("bytes in the Image JSON").isEqualTo(variant.getLong("bytes"));
          assertStrongEtag(r.getHeader("ETag"));
          Instant lastModified = ZonedDateTime.parse(r.getHeader("Last-Modified"), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
          assertThat(lastModified).isBetween(Instant.parse(image.getString("createdAt")).truncatedTo(ChronoUnit.SECONDS), Instant.now());
          assertThat(r.getHeader("Cache-Control")).isEqualTo(IMMUTABLE);
          BufferedImage decoded = Pixels.decode(bytes);
          assertThat(decoded.getWidth()).isEqualTo(variant.getInteger("width"));
          assertThat(decoded.getHeight()).isEqualTo(variant.getInteger("height"));
          ctx.completeNow();
        })));
  }

  @ParameterizedTest
  @ValueSource(strings = {"small", "medium"})
  @DisplayName("the variant bytes carry no EXIF, no GPS and no other APP1 metadata")
  void noMetadataInVariants(String preset, VertxTestContext ctx) {
    service().get(ImageChecks.versioned(image, preset), null).send()
        .expecting(HttpResponseExpectation.SC_OK)
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          byte[] bytes = r.bodyAsBuffer().getBytes();
          assertThat(Jpeg.hasApp(bytes, 1)).as("APP1 segment (EXIF or XMP)").isFalse();
          assertThat(Jpeg.contains(bytes, "Exif\0\0")).as("EXIF header anywhere").isFalse();
          assertThat(Jpeg.contains(Jpeg.headers(bytes), "GPS")).as("'GPS' in the header segments").isFalse();
          assertThat(Jpeg.contains(Jpeg.headers(bytes), "Nokia")).as("camera make in the header segments").isFalse();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the by-name URL (no ?v=) and a stale ?v= are cacheable for a minute only, with the same ETag")
  void byNameUrl(VertxTestContext ctx) {
    String byName = ImageChecks.byName(image, "medium");
    Future.all(
            service().get(ImageChecks.versioned(image, "medium"), null).send(),
            service().get(byName, null).send(),
            service().get(byName + "?v=0000stale", null).send())
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<HttpResponse<Buffer>> r = all.list();
          assertThat(r).allSatisfy(x -> assertThat(x.statusCode()).isEqualTo(200));
          assertThat(r.get(1).getHeader("Cache-Control")).isEqualTo(REVALIDATE);
          assertThat(r.get(2).getHeader("Cache-Control")).as("a stale version is not immutable").isEqualTo(REVALIDATE);
          assertThat(r.get(1).getHeader("ETag")).isEqualTo(r.get(0).getHeader("ETag")).isEqualTo(r.get(2).getHeader("ETag"));
          assertThat(r.get(1).bodyAsBuffer()).isEqualTo(r.get(0).bodyAsBuffer());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("If-None-Match with the current ETag answers 304 with no body; another ETag gets the bytes")
  void conditionalGet(VertxTestContext ctx) {
    String url = ImageChecks.versioned(image, "small");
    service().get(url, null).send().expecting(HttpResponseExpectation.SC_OK)
        .compose(first -> Future.all(
            service().get(url, null).putHeader("If-None-Match", first.getHeader("ETag")).send(),
            service().get(ImageChecks.byName(image, "small"), null).putHeader("If-None-Match", first.getHeader("ETag")).send(),
            service().get(url, null).putHeader("If-None-Match", "\"something-else\"").send())
            .map(all -> List.of(first, all.<HttpResponse<Buffer>>resultAt(0), all.<HttpResponse<Buffer>>resultAt(1),
                all.<HttpResponse<Buffer>>resultAt(2))))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          for (HttpResponse<Buffer> notModified : List.of(r.get(1), r.get(2))) {
            assertThat(notModified.statusCode()).isEqualTo(304);
            assertThat(notModified.body() == null || notModified.body().length() == 0).as("304 has no body").isTrue();
            assertThat(notModified.getHeader("ETag")).isEqualTo(r.get(0).getHeader("ETag"));
          }
          assertThat(r.get(3).statusCode()).isEqualTo(200);
          assertThat(r.get(3).bodyAsBuffer()).isEqualTo(r.get(0).bodyAsBuffer());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("If-None-Match lists, weak tags and * are honoured (RFC 9110); If-Modified-Since alone answers 304 when not older, and an older or unreadable date gets the body")
  void conditionalGetForms(VertxTestContext ctx) {
    String url = ImageChecks.versioned(image, "small");
    service().get(url, null).send().expecting(HttpResponseExpectation.SC_OK)
        .compose(first -> {
          String etag = first.getHeader("ETag");
          return Future.all(List.of(
                  service().get(url, null).putHeader("If-None-Match", "\"other\", " + etag).send(),
                  service().get(url, null).putHeader("If-None-Match", "W/" + etag).send(),
                  service().get(url, null).putHeader("If-None-Match", "*").send(),
                  service().get(url, null).putHeader("If-Modified-Since", first.getHeader("Last-Modified")).send(),
                  service().get(url, null).putHeader("If-None-Match", "\"other\", W/\"another\"").send(),
                  service().get(url, null).putHeader("If-Modified-Since", dayBefore(first.getHeader("Last-Modified"))).send(),
                  service().get(url, null).putHeader("If-Modified-Since", "yesterday").send()))
              .map(all -> all.<HttpResponse<Buffer>>list());
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r).extracting(HttpResponse::statusCode).containsExactly(304, 304, 304, 304, 200, 200, 200);
          ctx.completeNow();
        })));
  }

  private static String dayBefore(String httpDate) {
    ZonedDateTime date = ZonedDateTime.parse(httpDate, DateTimeFormatter.RFC_1123_DATE_TIME);
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(date.minusDays(1));
  }

  @Test
  @DisplayName("HEAD answers the headers of GET and no body")
  void head(VertxTestContext ctx) {
    String url = ImageChecks.versioned(image, "medium");
    Future.all(service().get(url, null).send(), service().request(HttpMethod.HEAD, url, null).send())
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          HttpResponse<Buffer> get = all.resultAt(0);
          HttpResponse<Buffer> head = all.resultAt(1);
          assertThat(head.statusCode()).isEqualTo(200);
          for (String h : List.of("Content-Type", "Content-Length", "ETag", "Last-Modified", "Cache-Control")) {
            assertThat(head.getHeader(h)).as(h).isNotNull().isEqualTo(get.getHeader(h));
          }
          assertThat(head.body() == null || head.body().length() == 0).as("HEAD has no body").isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an unknown preset, an unknown id or a malformed id answers 404 problem+json")
  void notFound(VertxTestContext ctx) {
    String id = image.getString("id");
    List<String> urls = List.of(
        "/v1/images/" + id + "/large.jpg",
        "/v1/images/" + id + "/small.png",
        "/v1/images/" + id + "/small",
        "/v1/images/" + Ids.next() + "/small.jpg",
        "/v1/images/not-an-id/small.jpg",
        "/v1/images/" + id.toUpperCase() + "/small.jpg",
        "/v1/images/..%2F..%2Fimgedge.db/small.jpg");
    Checkpoint answered = ctx.checkpoint(urls.size() * 2);
    for (String url : urls) {
      for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
        service().request(method, url, null).send().onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).as("%s %s", method, url).isEqualTo(404);
          if (method == HttpMethod.GET) {
            Problems.assertProblem(r, 404);
          }
          answered.flag();
        })));
      }
    }
  }

  private static void assertStrongEtag(String etag) {
    assertThat(etag).as("strong, quoted ETag").isNotNull().doesNotStartWith("W/").startsWith("\"").endsWith("\"").hasSizeGreaterThan(2);
  }
}
