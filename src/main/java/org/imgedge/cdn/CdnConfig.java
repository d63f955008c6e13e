package org.imgedge.cdn;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.imgedge.config.ConfigException;
import org.imgedge.config.Json;

/**
 * {@code cdn.purge}: the purge calls every delete makes, in {@link PurgeTarget}'s template form; empty
 * when no CDN or caching proxy sits in front. {@code cdn.publicBaseUrl}: the scheme and host phones reach
 * variants at, for the {@code {url}} placeholder.
 */
public record CdnConfig(List<PurgeTarget> purge, String publicBaseUrl) {

  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,16}");

  @Override
  public String toString() {
    // header values may be API tokens
    return "CdnConfig[purge=" + purge.stream().map(t -> t.method() + " " + t.url()).toList() + "]";
  }

  public static CdnConfig from(Json j) {
    String base = j.string("publicBaseUrl", "");
    Object raw = j.raw().getValue("purge");
    if (raw == null) {
      return new CdnConfig(List.of(), base);
    }
    if (!(raw instanceof JsonArray array)) {
      throw new ConfigException("cdn.purge", "must be a list of {\"method\", \"url\", \"headers\"}");
    }
    List<PurgeTarget> targets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String key = "cdn.purge[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject entry)) {
        throw new ConfigException(key, "must be an object {\"method\", \"url\", \"headers\"}");
      }
      PurgeTarget target = target(key, entry, i);
      if (!names.add(target.name())) {
        throw new ConfigException(key + ".name", "is used twice");
      }
      if (target.url().contains("{url}") && base.isEmpty()) {
        throw new ConfigException("cdn.publicBaseUrl", "must be set when a purge URL uses {url}");
      }
      targets.add(target);
    }
    return new CdnConfig(List.copyOf(targets), base);
  }

  private static PurgeTarget target(String key, JsonObject entry, int index) {
    Json j = new Json(new JsonObject().put("t", entry), "t", key);
    String method = j.string("method", "PURGE");
    if (!METHOD.matcher(method).matches()) {
      throw new ConfigException(key + ".method", "must be an HTTP method in capitals, such as PURGE or POST");
    }
    String url = j.string("url", null);
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw new ConfigException(key + ".url", "must be an http:// or https:// URL template");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    JsonObject given = j.section("headers").raw();
    given.forEach(h -> {
      if (!(h.getValue() instanceof String value)) {
        throw new ConfigException(key + ".headers." + h.getKey(), "must be a string");
      }
      headers.put(h.getKey(), value);
    });
    String name = j.string("name", null);
    if (name == null && !headers.isEmpty()) {
      // pending calls find their target's headers by name: a name from the list position would move with it
      throw new ConfigException(key + ".name", "must be set when the target has headers");
    }
    if (CdnPurger.CACHES.equals(name)) {
      throw new ConfigException(key + ".name", "\"" + CdnPurger.CACHES + "\" is the service's own caches");
    }
    return new PurgeTarget(name == null ? "target-" + index : name, method, url, Map.copyOf(headers));
  }
}
