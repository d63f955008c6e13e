import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a phone app does when it opens, timed: the list request, then the grid of thumbnails with at
 * most PARALLEL requests in flight over HTTP/1.1 keep-alive connections (a phone's HTTP stack: about six
 * per host), then the detail image of the first item.
 *
 * <pre>java OpenApp.java BASE_URL CLIENT_KEY WORKER_KEY MODE GRID PARALLEL</pre>
 *
 * MODE "variants": grid = small variants, detail = the medium variant (what the service is for).
 * MODE "originals": grid and detail = the uploaded originals (worker key), fetched again for the detail
 * as an app without variants would: the bytes over the link are the point.
 *
 * Prints one JSON line: seconds from the start until the list, the grid and the detail were complete,
 * and the bytes each step moved.
 */
public final class OpenApp {

  private static final Pattern IMAGE = Pattern.compile(
      "\"id\":\"([^\"]+)\".*?\"small\":\\{\"url\":\"([^\"]+)\".*?\"medium\":\\{\"url\":\"([^\"]+)\"");

  private record Item(String id, String small, String medium) {}

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: java OpenApp.java BASE_URL CLIENT_KEY WORKER_KEY variants|originals GRID PARALLEL");
      System.exit(2);
    }
    String base = args[0];
    String clientKey = args[1];
    String workerKey = args[2];
    boolean originals = switch (args[3]) {
      case "variants" -> false;
      case "originals" -> true;
      default -> throw new IllegalArgumentException("MODE must be variants or originals");
    };
    int grid = Integer.parseInt(args[4]);
    int parallel = Integer.parseInt(args[5]);

    // at most PARALLEL requests at once, so at most PARALLEL connections, each reused
    ExecutorService inFlight = Executors.newFixedThreadPool(parallel);
    HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(30))
        .build();

    long start = System.nanoTime();
    HttpResponse<byte[]> list = get(http, base + "/v1/images?limit=" + grid, clientKey);
    String json = new String(list.body(), java.nio.charset.StandardCharsets.UTF_8);
    double listSeconds = since(start);

    // One match per Image object: the id comes first in each, then its small and medium URLs.
    List<Item> items = new ArrayList<>();
    Matcher m = IMAGE.matcher(json);
    while (m.find() && items.size() < grid) {
      items.add(new Item(m.group(1), m.group(2), m.group(3)));
    }
    if (items.size() < grid) {
      throw new IllegalStateException("the list has " + items.size() + " images, the grid needs " + grid);
    }

    List<Future<Integer>> cells = new ArrayList<>();
    for (Item item : items) {
      String path = originals ? "/v1/images/" + item.id() + "/original" : item.small();
      String key = originals ? workerKey : null;
      cells.add(inFlight.submit(() -> get(http, base + path, key).body().length));
    }
    long gridBytes = 0;
    for (Future<Integer> cell : cells) {
      gridBytes += cell.get();
    }
    double gridSeconds = since(start);

    Item first = items.get(0);
    String detailPath = originals ? "/v1/images/" + first.id() + "/original" : first.medium();
    long detailBytes = get(http, base + detailPath, originals ? workerKey : null).body().length;
    double detailSeconds = since(start);
    inFlight.shutdown();

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", args[3]);
    out.put("grid", grid);
    out.put("listSeconds", listSeconds);
    out.put("gridSeconds", gridSeconds);
    out.put("detailSeconds", detailSeconds);
    out.put("listBytes", list.body().length);
    out.put("gridBytes", gridBytes);
    out.put("detailBytes", detailBytes);
    StringBuilder line = new StringBuilder("{");
    out.forEach((k, v) -> line.append(line.length() > 1 ? "," : "").append('"').append(k).append("\":")
        .append(v instanceof String s ? "\"" + s + "\"" : v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : v));
    System.out.println(line.append('}'));
    System.exit(0);
  }

  private static HttpResponse<byte[]> get(HttpClient http, String url, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + response.statusCode());
    }
    return response;
  }

  private static double since(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
