package org.imgedge.http;

import io.vertx.core.json.JsonArray;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.imgedge.config.ConfigException;
import org.imgedge.config.Json;

/**
 * @param drainSeconds                on SIGTERM, how long requests under way may take to finish before the process exits
 * @param minBytesPerSecond           a request body arriving slower than this, averaged over the last
 *                                    {@code rateWindowSeconds}, is cut off (408); 0 turns the check off
 * @param rateWindowSeconds           the averaging window, and the grace a body gets before it is first checked
 * @param headerTimeoutSeconds        a request's head (request line and headers) must be complete this long
 *                                    after its first byte arrived; an idle keep-alive connection is not affected
 * @param idleBeforeFirstByteSeconds  a new connection that sends nothing for this long is closed
 * @param maxConnections              open connections at most; past it the longest idle one is closed, and
 *                                    when none is idle the new one is refused (503)
 * @param managementPort              when present, a listener of its own on this port answers the health checks and
 *                                    {@code /metrics} (as the main port still does), outside {@code maxConnections}: a flood
 *                                    of client connections cannot cut the probes and scrapes of the operator's tools
 * @param corsOrigins                 the web origins ({@code https://app.example.com}) whose scripts may call the
 *                                    API and read variants; {@code ["*"]} for any; empty: no CORS headers at all
 */
public record HttpConfig(String host, int port, int instances, int drainSeconds, int minBytesPerSecond,
    int rateWindowSeconds, int headerTimeoutSeconds, int idleBeforeFirstByteSeconds, int maxConnections,
    OptionalInt managementPort, List<String> corsOrigins) {

  /**
   * The management listener's own cap: a few probes and scrapes use it, and it must not take descriptors from
   * the clients' {@code maxConnections}.
   */
  private static final int MANAGEMENT_CONNECTIONS = 64;

  /** The same settings for the management listener: its own port, one verticle, no CORS. */
  public HttpConfig management() {
    return new HttpConfig(host, managementPort.orElseThrow(), 1, drainSeconds, minBytesPerSecond, rateWindowSeconds,
        headerTimeoutSeconds, idleBeforeFirstByteSeconds, MANAGEMENT_CONNECTIONS, OptionalInt.empty(), List.of());
  }

  /** An origin as browsers send it: scheme, host and an optional port, nothing after. */
  static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?");

  /** Descriptors left for everything but client connections: files, the database, Redis, S3. */
  private static final int RESERVED_DESCRIPTORS = 1024;

  public static HttpConfig from(Json j) {
    int cores = Runtime.getRuntime().availableProcessors();
    int port = j.integer("port", 8080, 0, 65535);
    return new HttpConfig(j.string("host", "0.0.0.0"), port, j.integer("instances", cores, 1, 64),
        j.integer("drainSeconds", 30, 0, 3600), j.integer("minBytesPerSecond", 16_384, 0, 100_000_000),
        j.integer("rateWindowSeconds", 10, 1, 600), j.integer("headerTimeoutSeconds", 10, 1, 600),
        j.integer("idleBeforeFirstByteSeconds", 10, 1, 600), j.integer("maxConnections", defaultMaxConnections(), 1, 10_000_000),
        managementPort(j, port),
        corsOrigins(j.section("cors").raw().getValue("origins")));
  }

  private static OptionalInt managementPort(Json j, int port) {
    if (j.raw().getValue("managementPort") == null) {
      return OptionalInt.empty();
    }
    int management = j.integer("managementPort", 0, 0, 65535);
    if (management != 0 && management == port) {
      // Vert.x would share one port between the two servers, handing each connection to either
      throw new ConfigException("http.managementPort", "must differ from http.port (" + port + ")");
    }
    return OptionalInt.of(management);
  }

  private static List<String> corsOrigins(Object raw) {
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof JsonArray array)) {
      throw new ConfigException("http.cors.origins", "must be a list of origins such as \"https://app.example.com\", or [\"*\"]");
    }
    List<String> origins = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      Object o = array.getValue(i);
      if (!(o instanceof String origin) || !(origin.equals("*") || ORIGIN.matcher(origin).matches())) {
        throw new ConfigException("http.cors.origins[" + i + "]",
            "must be \"*\" or an origin: scheme and host with an optional port, no path (\"https://app.example.com\")");
      }
      origins.add(origin);
    }
    if (origins.contains("*") && origins.size() > 1) {
      throw new ConfigException("http.cors.origins", "\"*\" already allows every origin: list it alone");
    }
    return List.copyOf(origins);
  }

  /** The process's descriptor limit ({@code ulimit -n}) less {@link #RESERVED_DESCRIPTORS}, and at least 256. */
  static int defaultMaxConnections() {
    long limit = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount() : 10_000 + RESERVED_DESCRIPTORS;
    return (int) Math.max(256, Math.min(10_000_000, limit - RESERVED_DESCRIPTORS));
  }
}
