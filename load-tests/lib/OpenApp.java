import java.net.URI;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a phone app does when it opens, timed: the list request (its items carry each image's ThumbHash
 * placeholder, which the grid paints at once), then the grid of thumbnails with at most PARALLEL requests
 * in flight over HTTP/1.1 keep-alive connections (a phone's HTTP stack: about six per host), then the
 * detail image of the first item.
 *
 * <pre>java OpenApp.java BASE_URL CLIENT_KEY WORKER_KEY MODE GRID PARALLEL [FORMAT]</pre>
 *
 * MODE "variants": grid = small variants, detail = the medium variant (what the service is for), in
 * FORMAT: "jpeg" (the default) takes {@code variants.<preset>.url}, "webp" and "avif" take
 * {@code variants.<preset>.formats.<FORMAT>.url}, and the bytes must come back with that content type.
 * MODE "originals": grid and detail = the uploaded originals (worker key), fetched again for the detail
 * as an app without variants would: the bytes over the link are the point.
 *
 * Prints one JSON line: seconds from the start until the list, the first paint (every cell of the grid
 * shows something: its placeholder, from the list, or else its thumbnail), the grid and the detail were
 * complete, and the bytes each step moved.
 */
public final class OpenApp {

  private record Item(String id, String placeholder, String small, String medium) {}

  public static void main(String[] args) throws Exception {
    if (args.length != 6 && args.length != 7) {
      System.err.println("usage: java OpenApp.java BASE_URL CLIENT_KEY WORKER_KEY variants|originals GRID PARALLEL [jpeg|webp|avif]");
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
    String format = args.length == 7 ? args[6] : "jpeg";
    String contentType = switch (format) {
      case "jpeg" -> "image/jpeg";
      case "webp" -> "image/webp";
      case "avif" -> "image/avif";
      default -> throw new IllegalArgumentException("FORMAT must be jpeg, webp or avif");
    };

    // at most PARALLEL requests at once, so at most PARALLEL connections, each reused
    ExecutorService inFlight = Executors.newFixedThreadPool(parallel);
    HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(30))
        .build();

    long start = System.nanoTime();
    HttpResponse<byte[]> list = get(http, base + "/v1/images?limit=" + grid, clientKey, null);
    List<Item> items = items(new String(list.body(), StandardCharsets.UTF_8), format, grid);
    double listSeconds = since(start);

    List<Future<Double>> cells = new ArrayList<>();
    AtomicLong gridBytes = new AtomicLong();
    for (Item item : items) {
      String path = originals ? "/v1/images/" + item.id() + "/original" : item.small();
      String key = originals ? workerKey : null;
      cells.add(inFlight.submit(() -> {
        gridBytes.addAndGet(get(http, base + path, key, originals ? null : contentType).body().length);
        return since(start);
      }));
    }
    // a cell with a placeholder is painted when the list arrives; one without, when its thumbnail does
    double firstPaintSeconds = listSeconds;
    int placeholders = 0;
    for (int i = 0; i < items.size(); i++) {
      double arrived = cells.get(i).get();
      if (items.get(i).placeholder() != null && !originals) {
        placeholders++;
      } else {
        firstPaintSeconds = Math.max(firstPaintSeconds, arrived);
      }
    }
    double gridSeconds = since(start);

    Item first = items.get(0);
    String detailPath = originals ? "/v1/images/" + first.id() + "/original" : first.medium();
    long detailBytes = get(http, base + detailPath, originals ? workerKey : null, originals ? null : contentType).body().length;
    double detailSeconds = since(start);
    inFlight.shutdown();

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", args[3]);
    out.put("format", originals ? "original" : format);
    out.put("grid", grid);
    out.put("placeholders", placeholders);
    out.put("listSeconds", listSeconds);
    out.put("firstPaintSeconds", firstPaintSeconds);
    out.put("gridSeconds", gridSeconds);
    out.put("detailSeconds", detailSeconds);
    out.put("listBytes", list.body().length);
    out.put("gridBytes", gridBytes.get());
    out.put("detailBytes", detailBytes);
    out.put("totalBytes", list.body().length + gridBytes.get() + detailBytes);
    StringBuilder line = new StringBuilder("{");
    out.forEach((k, v) -> line.append(line.length() > 1 ? "," : "").append('"').append(k).append("\":")
        .append(v instanceof String s ? "\"" + s + "\"" : v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : v));
    System.out.println(line.append('}'));
    System.exit(0);
  }

  /** The first {@code grid} items of the list: id, placeholder and the small and medium URLs in {@code format}. */
  @SuppressWarnings("unchecked")
  private static List<Item> items(String json, String format, int grid) {
    List<Object> list = (List<Object>) ((Map<String, Object>) new Json(json).value()).get("items");
    List<Item> items = new ArrayList<>();
    for (Object o : list) {
      if (items.size() == grid) {
        break;
      }
      Map<String, Object> image = (Map<String, Object>) o;
      Map<String, Object> variants = (Map<String, Object>) image.get("variants");
      Map<String, Object> placeholder = (Map<String, Object>) image.get("placeholder");
      items.add(new Item((String) image.get("id"), placeholder == null ? null : (String) placeholder.get("thumbhash"),
          url(variants, "small", format), url(variants, "medium", format)));
    }
    if (items.size() < grid) {
      throw new IllegalStateException("the list has " + items.size() + " images, the grid needs " + grid);
    }
    return items;
  }

  @SuppressWarnings("unchecked")
  private static String url(Map<String, Object> variants, String preset, String format) {
    Map<String, Object> variant = (Map<String, Object>) variants.get(preset);
    if (variant == null) {
      throw new IllegalStateException("an image has no " + preset + " variant");
    }
    if (format.equals("jpeg")) {
      return (String) variant.get("url");
    }
    Map<String, Object> formats = (Map<String, Object>) variant.get("formats");
    Map<String, Object> entry = formats == null ? null : (Map<String, Object>) formats.get(format);
    if (entry == null) {
      throw new IllegalStateException("the " + preset + " variant has no " + format + " format: is it in presets." + preset + ".formats?");
    }
    return (String) entry.get("url");
  }

  private static HttpResponse<byte[]> get(HttpClient http, String url, String key, String contentType) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + response.statusCode());
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (contentType != null && !type.startsWith(contentType)) {
      throw new IllegalStateException(url + " answered " + type + ", not " + contentType);
    }
    return response;
  }

  private static double since(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Just enough JSON for the list: objects, arrays, strings, numbers, true, false, null. */
  private static final class Json {
    private final String text;
    private int at;

    Json(String text) {
      this.text = text;
    }

    Object value() {
      space();
      char c = text.charAt(at);
      switch (c) {
        case '{' -> {
          Map<String, Object> object = new LinkedHashMap<>();
          at++;
          space();
          if (text.charAt(at) == '}') {
            at++;
            return object;
          }
          do {
            space();
            String key = string();
            space();
            expect(':');
            object.put(key, value());
            space();
          } while (text.charAt(at++) == ',');
          if (text.charAt(at - 1) != '}') {
            throw new IllegalArgumentException("bad JSON object at " + at);
          }
          return object;
        }
        case '[' -> {
          List<Object> array = new ArrayList<>();
          at++;
          space();
          if (text.charAt(at) == ']') {
            at++;
            return array;
          }
          do {
            array.add(value());
            space();
          } while (text.charAt(at++) == ',');
          if (text.charAt(at - 1) != ']') {
            throw new IllegalArgumentException("bad JSON array at " + at);
          }
          return array;
        }
        case '"' -> {
          return string();
        }
        default -> {
          int from = at;
          while (at < text.length() && ",}] \t\r\n".indexOf(text.charAt(at)) < 0) {
            at++;
          }
          String word = text.substring(from, at);
          return switch (word) {
            case "null" -> null;
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> Double.parseDouble(word);
          };
        }
      }
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      for (char c; (c = text.charAt(at++)) != '"'; ) {
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = text.charAt(at++);
        switch (e) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'u' -> {
            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            at += 4;
          }
          default -> out.append(e); // " \\ /
        }
      }
      return out.toString();
    }

    private void expect(char c) {
      if (text.charAt(at++) != c) {
        throw new IllegalArgumentException("expected " + c + " at " + (at - 1));
      }
    }

    private void space() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }
  }
}
