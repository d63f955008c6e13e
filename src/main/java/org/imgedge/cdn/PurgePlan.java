package org.imgedge.cdn;

import java.util.ArrayList;
import java.util.List;
import org.imgedge.catalog.Image;
import org.imgedge.catalog.PurgeRequest;
import org.imgedge.catalog.Variant;
import org.imgedge.http.UrlSignature;

/**
 * Which purge calls a deleted (or remade) image needs. A cache keys a variant by its path and the two query
 * parameters that change the answer ({@code v} sets the Cache-Control, {@code sig} the access), as the
 * repository's nginx configuration does, so these are all the URLs it can hold the image's variants under:
 * by name and with {@code ?v=}, each unsigned and signed under every signing key.
 */
public final class PurgePlan {

  private final List<PurgeTarget> targets;
  private final String publicBaseUrl;
  private final UrlSignature signature;

  public PurgePlan(CdnConfig config, UrlSignature signature) {
    this.targets = config.purge();
    this.publicBaseUrl = config.publicBaseUrl();
    this.signature = signature;
  }

  /**
   * The image's own caches first ({@link CdnPurger#CACHES}: every tier of every node, dropped again by
   * whichever node sends the calls), then each configured target's calls.
   */
  public List<PurgeRequest> requestsFor(Image image) {
    List<PurgeRequest> requests = new ArrayList<>();
    requests.add(new PurgeRequest(CdnPurger.CACHES, "DROP", image.id()));
    if (!targets.isEmpty()) {
      List<String> paths = cachedPaths(image);
      targets.forEach(t -> requests.addAll(t.requests(image.id(), paths, publicBaseUrl)));
    }
    return requests;
  }

  List<String> cachedPaths(Image image) {
    List<String> paths = new ArrayList<>();
    for (Variant v : image.variants().values().stream().flatMap(v -> v.files().stream()).toList()) {
      String path = v.path(image.id());
      paths.add(path);
      paths.add(path + "?v=" + v.version());
      for (String sig : signature.signatures(path)) {
        paths.add(path + "?sig=" + sig);
        paths.add(path + "?v=" + v.version() + "&sig=" + sig);
      }
    }
    return paths;
  }
}
