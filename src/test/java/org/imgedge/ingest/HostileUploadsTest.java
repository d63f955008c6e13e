package org.imgedge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imgedge.testing.RunningApp.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.imgedge.support.Ids;
import org.imgedge.testing.Storage;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.GeneratedImages;
import org.imgedge.testing.HostileFiles;
import org.imgedge.testing.ImageChecks;
import org.imgedge.testing.Jpeg;
import org.imgedge.testing.ManyScansJpeg;
import org.imgedge.testing.Problems;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.WithService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Crafted hostile uploads, each answered within 2 s with a success or its documented 4xx problem, never a
 * 5xx; after each test staging is empty and storage holds exactly the accepted images.
 */
@WithService
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
class HostileUploadsTest {

  /** Not a timing goal: the bound within which a hostile file must be answered, not worked on. */
  private static final long ANSWER_MILLIS = 2_000;

  @AfterEach
  void storageMatchesRows(Vertx vertx, VertxTestContext ctx) {
    service().stored().stagingDrained(vertx, 250).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(service().stored().blobFiles()).as("five blobs per row").hasSize(Storage.BLOBS_PER_IMAGE * (int) service().stored().rows());
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("a 4096x4096 progressive JPEG with 2,647 scans answers 422 too-many-scans within 2 s, raw or multipart")
  void manyScans(VertxTestContext ctx) {
    byte[] jpeg = ManyScansJpeg.create(4096, 4096);
    long rows = service().stored().rows();
    timed(() -> service().uploadRaw(TestApp.ALICE, Buffer.buffer(jpeg), "image/jpeg"))
        .compose(raw -> timed(() -> service().request(HttpMethod.POST, "/v1/images", TestApp.ALICE).sendMultipartForm(
                io.vertx.ext.web.multipart.MultipartForm.create().binaryFileUpload("image", "scans.jpg", Buffer.buffer(jpeg), "image/jpeg")))
            .map(multipart -> List.of(raw, multipart)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          System.out.println("many scans (" + jpeg.length + " bytes): " + both.get(0).bodyAsString());
          for (HttpResponse<Buffer> r : both) {
            assertThat(Problems.assertProblem(r, 422).getString("type")).isEqualTo("urn:imgedge:error:too-many-scans");
          }
          assertThat(service().stored().rows()).isEqualTo(rows);
          ctx.completeNow();
        })));
  }

  /**
   * libjpeg-turbo's TurboJPEG API has no abort hook, so a JPEG decode cannot be stopped part-way; its time is
   * bounded instead by what the guards admit before it starts: at most {@code limits.maxPixels} (200 MP) and
   * {@link org.imgedge.imaging.codec.JpegScans#MAX_SCANS} scans, in which every AC scan walks every block of
   * its component. This is that worst case. Its coefficients (1.2 GB) are in the upload's admitted memory.
   */
  @Test
  @DisplayName("the costliest JPEG the guards admit, 14142x14142 progressive with 100 scans, answers 201 within half the imaging timeout")
  void costliestAdmittedJpeg(VertxTestContext ctx) {
    byte[] jpeg = ManyScansJpeg.create(14_142, 14_142, org.imgedge.imaging.codec.JpegScans.MAX_SCANS);
    long start = System.nanoTime();
    service().uploadRaw(TestApp.ALICE, Buffer.buffer(jpeg), "image/jpeg").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("costliest admitted JPEG (%d bytes, %d scans, 200 MP): %d in %d ms%n", jpeg.length,
          org.imgedge.imaging.codec.JpegScans.MAX_SCANS, r.statusCode(), millis);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
      assertThat(millis).as("ms to the answer, against the default imaging.timeoutSeconds of 60").isLessThan(30_000);
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("EXIF that loops, bloats or nests 3,000 deep is answered within 2 s with 201 or a 4xx, never a 5xx")
  void hostileExif(VertxTestContext ctx) {
    byte[] many = HostileFiles.manyEntries(5_000);
    byte[][] bloat = new byte[100][];
    java.util.Arrays.fill(bloat, many);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("IFD pointing at itself", HostileFiles.withApp1(HostileFiles.jpeg(1), HostileFiles.selfReferencingIfd()));
    files.put("5,000 entries", HostileFiles.withApp1(HostileFiles.jpeg(2), many));
    files.put("counts of a billion", HostileFiles.withApp1(HostileFiles.jpeg(3), HostileFiles.hugeCounts()));
    files.put("3,000 nested sub-IFDs", HostileFiles.withApp1(HostileFiles.jpeg(4), HostileFiles.deepChain(3_000)));
    files.put("100 EXIF segments, 6 MB", HostileFiles.withApp1(HostileFiles.jpeg(5), bloat));
    Future<Void> chain = Future.succeededFuture();
    List<String> seen = new ArrayList<>();
    for (var file : files.entrySet()) {
      chain = chain.compose(v -> timed(() -> service().uploadRaw(TestApp.ALICE, Buffer.buffer(file.getValue()), "image/jpeg")).map(r -> {
        seen.add(file.getKey() + ": " + r.statusCode());
        ctx.verify(() -> {
          assertThat(r.statusCode()).as(file.getKey() + ": " + r.bodyAsString()).isIn(201, 400, 413, 415, 422);
          if (r.statusCode() == 201) {
            ImageChecks.assertWellFormed(r.bodyAsJsonObject());
          } else {
            Problems.assertProblem(r);
          }
        });
        return null;
      }));
    }
    chain.onComplete(ctx.succeeding(v -> {
      System.out.println("hostile EXIF: " + seen);
      ctx.completeNow();
    }));
  }

  @Test
  @DisplayName("a JPEG followed by a ZIP or HTML is accepted; the original keeps the trailer, the variants carry none of it")
  void polyglots(VertxTestContext ctx) {
    byte[] photo = Corpus.bytes(Corpus.file("orientation", "landscape_6.jpg"));
    Map<String, byte[]> trailers = Map.of("zip", HostileFiles.zip(), "html", HostileFiles.html().getBytes(StandardCharsets.UTF_8));
    Future<Void> chain = Future.succeededFuture();
    for (var trailer : trailers.entrySet()) {
      byte[] polyglot = concat(photo, trailer.getValue());
      chain = chain.compose(v -> timed(() -> service().uploadRaw(TestApp.ALICE, Buffer.buffer(polyglot), "image/jpeg"))
          .expecting(HttpResponseExpectation.SC_CREATED)
          .compose(r -> {
            JsonObject image = r.bodyAsJsonObject();
            return Future.all(
                    service().get("/v1/images/" + image.getString("id") + "/original", TestApp.WORKER).send(),
                    service().get(ImageChecks.versioned(image, "small"), null).send(),
                    service().get(ImageChecks.versioned(image, "medium"), null).send())
                .map(all -> {
                  ctx.verify(() -> {
                    assertThat(all.<HttpResponse<Buffer>>resultAt(0).bodyAsBuffer().getBytes())
                        .as("the original, byte for byte, trailer included").isEqualTo(polyglot);
                    for (int i = 1; i <= 2; i++) {
                      byte[] variant = all.<HttpResponse<Buffer>>resultAt(i).bodyAsBuffer().getBytes();
                      assertThat(variant.length).isPositive();
                      for (String marker : List.of("PK\u0003\u0004", "PK\u0005\u0006", "<html", "<script", "index.html")) {
                        assertThat(Jpeg.contains(variant, marker)).as("%s variant %d contains %s", trailer.getKey(), i, marker).isFalse();
                      }
                      assertThat(java.util.Arrays.copyOfRange(variant, variant.length - 2, variant.length))
                          .as("the variant ends at its own EOI").containsExactly(0xFF, 0xD9);
                    }
                  });
                  return null;
                });
          }));
    }
    chain.onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("empty, header-only, text, HTML and video bodies answer their 4xx within 2 s and store nothing")
  void notImages(VertxTestContext ctx) {
    byte[] header = Jpeg.headers(HostileFiles.jpeg(9)); // up to and including SOS, no scan data
    Map<String, Object[]> cases = new LinkedHashMap<>();
    cases.put("zero bytes", new Object[] {new byte[0], 400});
    cases.put("JPEG SOI only", new Object[] {new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, 422});
    cases.put("JPEG headers, no scan data", new Object[] {header, 422});
    cases.put("JPEG headers then EOI", new Object[] {concat(header, new byte[] {(byte) 0xFF, (byte) 0xD9}), 422});
    cases.put("PNG signature and IHDR only", new Object[] {java.util.Arrays.copyOf(GeneratedImages.png(1).getBytes(), 33), 422});
    cases.put("GIF header only", new Object[] {"GIF89a\u0040\u0000\u0040\u0000\u0000\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1), 422});
    cases.put("HTML", new Object[] {HostileFiles.html().getBytes(StandardCharsets.UTF_8), 415});
    cases.put("MP4", new Object[] {mp4(), 415});
    long rows = service().stored().rows();
    Future<Void> chain = Future.succeededFuture();
    for (var c : cases.entrySet()) {
      chain = chain.compose(v -> timed(() -> service().uploadRaw(TestApp.ALICE, Buffer.buffer((byte[]) c.getValue()[0]), "image/jpeg"))
          .map(r -> {
            ctx.verify(() -> Problems.assertProblem(r, (Integer) c.getValue()[1]));
            return null;
          }));
    }
    chain.onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(service().stored().rows()).isEqualTo(rows);
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("file names with ../, absolute paths, NUL, CR/LF, control characters or 4,000 characters never become paths")
  void hostileFileNames(VertxTestContext ctx) {
    String marker = "imgedge-escape-" + Long.toHexString(System.nanoTime());
    Path outside = service().storage().getParent();
    List<String> names = List.of(
        "../../" + marker + "-up.png",
        "../../../../../../../../" + marker + "-root.png",
        outside.resolve(marker + "-absolute.png").toString(),
        "..\\..\\" + marker + "-windows.png",
        "C:\\" + marker + "-drive.png",
        marker + "-nul\u0000.png",
        marker + "-crlf\r\nContent-Type: text/html\r\n\r\n.png",
        marker + "-controls\u0001\u0007\u001b[31m\u007f.png",
        marker + "-" + "x".repeat(4_000) + ".png",
        "..",
        "/",
        "");
    long rows = service().stored().rows();
    int[] accepted = {0};
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Buffer png = GeneratedImages.png(9_000 + i);
      chain = chain.compose(v -> timed(() -> service().request(HttpMethod.POST, "/v1/images", TestApp.ALICE)
              .putHeader("Content-Type", "multipart/form-data; boundary=b0undary")
              .sendBuffer(multipart(name, png)))
          .map(r -> {
            ctx.verify(() -> {
              // 415: a CR LF CR LF in the name ends the part's headers early, so the part's bytes are no image
              assertThat(r.statusCode()).as("%s: %s", name.replaceAll("\\p{Cntrl}", "?"), r.bodyAsString()).isIn(201, 400, 415);
              if (r.statusCode() == 201) {
                accepted[0]++;
              } else {
                Problems.assertProblem(r);
              }
            });
            return null;
          }));
    }
    chain.onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      System.out.println("hostile file names: " + accepted[0] + " of " + names.size() + " accepted");
      assertThat(service().stored().rows()).isEqualTo(rows + accepted[0]);
      assertThat(filesNamed(outside, marker, 3)).as("files named after a client's file name").isEmpty();
      assertThat(filesOutsideLayout(service().storage())).as("files outside blobs/, staging/ and the catalog").isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("malformed ids, unknown ids and unknown presets answer 404 problem+json on every image route")
  void unknownIdsAndPresets(VertxTestContext ctx) {
    service().uploadRaw(TestApp.ALICE, GeneratedImages.png(8_000), "image/png").expecting(HttpResponseExpectation.SC_CREATED)
        .compose(created -> {
          String id = created.bodyAsJsonObject().getString("id");
          String unknown = Ids.next();
          List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
          for (String bad : List.of("not-an-id", unknown, id.toUpperCase(), "..%2F..%2Fcatalog.db", "%00")) {
            all.add(service().get("/v1/images/" + bad, TestApp.ALICE).send());
            all.add(service().request(HttpMethod.DELETE, "/v1/images/" + bad, TestApp.ALICE).send());
            all.add(service().get("/v1/images/" + bad + "/original", TestApp.WORKER).send());
            all.add(service().get("/v1/images/" + bad + "/small.jpg", null).send());
          }
          for (String preset : List.of("large.jpg", "original.jpg", "small.png", "small", "..%2Fmedium.jpg", "SMALL.jpg")) {
            all.add(service().get("/v1/images/" + id + "/" + preset, null).send());
          }
          return Future.all(all).map(f -> f.<HttpResponse<Buffer>>list());
        })
        .onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
          responses.forEach(r -> Problems.assertProblem(r, 404));
          ctx.completeNow();
        })));
  }

  /** Sends a request and fails the test if the answer takes longer than {@link #ANSWER_MILLIS}. */
  private static Future<HttpResponse<Buffer>> timed(java.util.function.Supplier<Future<HttpResponse<Buffer>>> request) {
    long start = System.nanoTime();
    return request.get().compose(r -> {
      long millis = (System.nanoTime() - start) / 1_000_000;
      return millis <= ANSWER_MILLIS ? Future.succeededFuture(r)
          : Future.failedFuture(new AssertionError("answered " + r.statusCode() + " after " + millis + " ms"));
    });
  }

  /** A multipart body with the file name written raw into the part header, as a hostile client would. */
  private static Buffer multipart(String filename, Buffer content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("--b0undary\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + filename
        + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(content.getBytes());
    out.writeBytes("\r\n--b0undary--\r\n".getBytes(StandardCharsets.UTF_8));
    return Buffer.buffer(out.toByteArray());
  }

  /** An ISO base media file (what MP4 and MOV are): an ftyp box and an empty mdat. */
  private static byte[] mp4() {
    return concat(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'},
        new byte[] {0, 0, 0, 16, 'm', 'd', 'a', 't', 1, 2, 3, 4, 5, 6, 7, 8});
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static List<Path> filesNamed(Path root, String marker, int depth) {
    try (Stream<Path> walk = Files.find(root, depth, (p, attrs) -> p.getFileName() != null && p.getFileName().toString().contains(marker))) {
      return walk.toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      // another process's folder vanished or is unreadable mid-walk: look again without descending
      try (Stream<Path> list = Files.list(root)) {
        return list.filter(p -> p.getFileName().toString().contains(marker)).toList();
      } catch (IOException again) {
        throw new java.io.UncheckedIOException(again);
      }
    }
  }

  /** Regular files of the storage folder that are neither blobs, nor staged, nor the SQLite catalog. */
  private static List<Path> filesOutsideLayout(Path storage) {
    try (Stream<Path> walk = Files.walk(storage)) {
      return walk.filter(Files::isRegularFile)
          .map(storage::relativize)
          .filter(p -> !p.startsWith("blobs") && !p.startsWith("staging") && !p.toString().matches("[\\w.-]+\\.db(-wal|-shm|-journal)?")
              && !p.toString().equals("node-id"))
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
