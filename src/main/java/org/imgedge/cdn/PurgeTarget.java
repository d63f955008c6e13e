package org.imgedge.cdn;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.imgedge.catalog.PurgeRequest;

/**
 * One entry of {@code cdn.purge}: an HTTP call that drops cached copies from a CDN or a caching proxy.
 * The URL template's placeholders:
 * <ul>
 *   <li>{@code {path}}: a variant URL's path and query as a cache may hold it (one call per such URL);
 *   <li>{@code {url}}: {@code cdn.publicBaseUrl} followed by that path, percent-encoded, for APIs that take
 *       the URL as a parameter (one call per URL);
 *   <li>{@code {key}}: the image's surrogate key, as the {@code Surrogate-Key} and {@code Cache-Tag} headers of
 *       its variants name it (one call per image);
 *   <li>{@code {id}}: the image id.
 * </ul>
 *
 * @param headers sent with every call, for example a CDN's API token; read from the configuration at
 *                send time, never stored with the pending purges
 */
public record PurgeTarget(String name, String method, String url, Map<String, String> headers) {

  /**
   * Whether a pending call may carry this target's headers: only to the host its template names, so a
   * call recorded for another target (the configuration changed since) never gets this one's token.
   */
  boolean sendsHeadersTo(String callUrl) {
    return host(callUrl).equals(host(url));
  }

  private static String host(String url) {
    int start = url.indexOf("://") + 3;
    int end = url.indexOf('/', start);
    return end < 0 ? url.substring(start) : url.substring(start, end);
  }

  /** Whether the template makes one call per cached URL, rather than one per image. */
  boolean perUrl() {
    return url.contains("{path}") || url.contains("{url}");
  }

  /** The calls this target needs for one deleted image, whose variants a cache may hold under {@code paths}. */
  List<PurgeRequest> requests(String imageId, List<String> paths, String publicBaseUrl) {
    String image = url.replace("{id}", imageId).replace("{key}", SurrogateKey.of(imageId));
    if (!perUrl()) {
      return List.of(new PurgeRequest(name, method, image));
    }
    return paths.stream()
        .map(path -> new PurgeRequest(name, method, image.replace("{path}", path)
            .replace("{url}", URLEncoder.encode(publicBaseUrl + path, StandardCharsets.UTF_8))))
        .toList();
  }
}
