package org.imgedge.cdn;

/**
 * The tag that names all cached variants of one image, sent as {@code Surrogate-Key} (Fastly, Varnish) and
 * {@code Cache-Tag} (Cloudflare, Akamai): a CDN that purges by tag drops them all with one call.
 */
public final class SurrogateKey {

  private SurrogateKey() {}

  public static String of(String imageId) {
    return "img-" + imageId;
  }
}
