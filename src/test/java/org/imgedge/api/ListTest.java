package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imgedge.testing.RunningApp.service;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.Problems;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.WithService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/images}: keyset pagination, newest first, stable while uploads arrive. */
@WithService
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
class ListTest {

  /** Alice's images, in upload order (oldest first). */
  private static final List<String> uploaded = new ArrayList<>();

  @BeforeAll
  static void upload(VertxTestContext ctx) {
    List<Path> files = Corpus.files("orientation").subList(0, 7);
    Future<?> chain = Future.succeededFuture();
    for (Path file : files) {
      // one after the other, so that upload order is creation order
      chain = chain.compose(v -> service().upload(TestApp.ALICE, file).expecting(HttpResponseExpectation.SC_CREATED))
          .map(r -> uploaded.add(r.bodyAsJsonObject().getString("id")));
    }
    chain.compose(v -> service().upload(TestApp.BOB, Corpus.file("orientation", "portrait_8.jpg"))
            .expecting(HttpResponseExpectation.SC_CREATED))
        .compose(v -> service().upload(TestApp.BOB, Corpus.file("orientation", "landscape_8.jpg"))
            .expecting(HttpResponseExpectation.SC_CREATED))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("paging with limit=2 walks every image once, newest first, and the last page has nextCursor null")
  void pagesOfTwo(VertxTestContext ctx) {
    List<List<String>> pages = new ArrayList<>();
    walk(TestApp.ALICE, 2, null, pages).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      List<String> newestFirst = new ArrayList<>(uploaded);
      Collections.reverse(newestFirst);
      assertThat(pages.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(newestFirst);
      assertThat(pages).extracting(List::size).containsExactly(2, 2, 2, 1);
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("a limit equal to the number of images gives one page and no cursor; the default limit lists all")
  void exactPage(VertxTestContext ctx) {
    Future.all(
            service().get("/v1/images?limit=" + uploaded.size(), TestApp.ALICE).send(),
            service().get("/v1/images", TestApp.ALICE).send(),
            service().get("/v1/images?limit=200", TestApp.ALICE).send(),
            service().get("/v1/images?limit=1", TestApp.ALICE).send())
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<HttpResponse<Buffer>> r = all.list();
          for (int i = 0; i < 3; i++) {
            JsonObject page = r.get(i).bodyAsJsonObject();
            assertThat(page.getJsonArray("items")).hasSize(uploaded.size());
            assertThat(page.containsKey("nextCursor")).as("nextCursor is present, as null").isTrue();
            assertThat(page.getValue("nextCursor")).isNull();
          }
          JsonObject one = r.get(3).bodyAsJsonObject();
          assertThat(one.getJsonArray("items")).hasSize(1);
          assertThat(one.getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(uploaded.get(uploaded.size() - 1));
          assertThat(one.getString("nextCursor")).isNotBlank();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an upload that arrives while a client pages does not shift the later pages")
  void stableWhileUploadsArrive(VertxTestContext ctx) {
    List<List<String>> pages = new ArrayList<>();
    String[] added = new String[1];
    service().get("/v1/images?limit=1", TestApp.BOB).send().expecting(HttpResponseExpectation.SC_OK)
        .compose(first -> {
          pages.add(ids(first));
          ctx.verify(() -> assertThat(first.bodyAsJsonObject().getString("nextCursor")).as("bob has a second page").isNotNull());
          return service().upload(TestApp.BOB, Corpus.file("orientation", "portrait_7.jpg"))
              .expecting(HttpResponseExpectation.SC_CREATED)
              .compose(r -> {
                added[0] = r.bodyAsJsonObject().getString("id");
                return walk(TestApp.BOB, 1, first.bodyAsJsonObject().getString("nextCursor"), pages);
              });
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          List<String> seen = pages.stream().flatMap(List::stream).toList();
          assertThat(seen).as("bob had two images when paging started").hasSize(2).doesNotHaveDuplicates()
              .doesNotContain(added[0]);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("limit outside 1..200 or not a number, and a cursor this service did not give out, answer 400")
  void badParameters(VertxTestContext ctx) {
    String notAnId = Base64.getUrlEncoder().withoutPadding().encodeToString("hello".getBytes(StandardCharsets.US_ASCII));
    List<String> queries = List.of("limit=0", "limit=201", "limit=abc", "limit=-1", "limit=1.5", "limit=99999999999",
        "cursor=garbage!!", "cursor=" + notAnId, "cursor=%00", "cursor=AAAA");
    Checkpoint answered = ctx.checkpoint(queries.size());
    for (String q : queries) {
      service().get("/v1/images?" + q, TestApp.ALICE).send().onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.statusCode()).as(q).isEqualTo(400);
        Problems.assertProblem(r, 400);
        answered.flag();
      })));
    }
  }

  /** Follows nextCursor from {@code cursor} to the end, adding each page's ids to {@code pages}. */
  private static Future<Void> walk(String key, int limit, String cursor, List<List<String>> pages) {
    if (pages.size() > 50) {
      return Future.failedFuture("pagination does not end");
    }
    String uri = "/v1/images?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor);
    return service().get(uri, key).send().expecting(HttpResponseExpectation.SC_OK).compose(r -> {
      pages.add(ids(r));
      String next = r.bodyAsJsonObject().getString("nextCursor");
      return next == null ? Future.succeededFuture() : walk(key, limit, next, pages);
    });
  }

  private static List<String> ids(HttpResponse<Buffer> page) {
    return page.bodyAsJsonObject().getJsonArray("items").stream()
        .map(JsonObject.class::cast).map(i -> i.getString("id")).toList();
  }
}
