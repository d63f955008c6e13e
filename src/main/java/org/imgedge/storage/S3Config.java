package org.imgedge.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;
import org.imgedge.config.ConfigException;
import org.imgedge.config.Json;

/**
 * {@code storage.s3}: an S3-compatible bucket for originals and variants. {@code bucket} null means
 * S3 is off and blobs stay in the file store.
 *
 * @param endpoint  e.g. {@code http://127.0.0.1:9000}; null means AWS's own endpoint for the region
 * @param accessKey with {@code secretKey}; both null means the SDK's default credentials chain
 * @param pathStyle {@code host/bucket/key} rather than {@code bucket.host/key}, which most
 *                  self-hosted servers need
 */
public record S3Config(String endpoint, String bucket, String region, String accessKey, String secretKey, boolean pathStyle) {

  // S3's bucket naming rules, minus the rarer ones (no IP-shaped names, no "..")
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  public boolean enabled() {
    return bucket != null;
  }

  @Override
  public String toString() {
    // logged with the effective config: the secret never is
    return "S3Config[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + ", accessKey=" + accessKey
        + ", secretKey=" + (secretKey == null ? null : "***") + ", pathStyle=" + pathStyle + "]";
  }

  static S3Config from(Json j) {
    String endpoint = j.string("endpoint", null);
    String bucket = j.string("bucket", null);
    String region = j.string("region", "us-east-1");
    String accessKey = j.string("accessKey", null);
    String secretKey = j.string("secretKey", null);
    boolean pathStyle = bool(j, "pathStyle", true);
    if (endpoint != null) {
      checkEndpoint(endpoint);
      if (bucket == null) {
        // refused rather than ignored: whoever sets an endpoint expects blobs to go there
        throw new ConfigException("storage.s3.bucket", "must be set when storage.s3.endpoint is");
      }
    }
    if (bucket != null && (!BUCKET.matcher(bucket).matches() || bucket.contains(".."))) {
      throw new ConfigException("storage.s3.bucket", "must be 3 to 63 of a-z, 0-9, '.' and '-', starting and ending with a letter or digit");
    }
    if (!REGION.matcher(region).matches()) {
      throw new ConfigException("storage.s3.region", "must look like us-east-1");
    }
    if ((accessKey == null) != (secretKey == null)) {
      String missing = accessKey == null ? "storage.s3.accessKey" : "storage.s3.secretKey";
      throw new ConfigException(missing, "must be set together with the other key, or both left null");
    }
    if (accessKey != null && (accessKey.isBlank() || secretKey.isBlank())) {
      throw new ConfigException(accessKey.isBlank() ? "storage.s3.accessKey" : "storage.s3.secretKey", "must not be empty");
    }
    return new S3Config(endpoint, bucket, region, accessKey, secretKey, pathStyle);
  }

  private static void checkEndpoint(String endpoint) {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw new ConfigException("storage.s3.endpoint", "is not a URL");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new ConfigException("storage.s3.endpoint", "must be an http:// or https:// URL with a host");
    }
  }

  private static boolean bool(Json j, String key, boolean dflt) {
    Object v = j.raw().getValue(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if ("true".equals(v) || "false".equals(v)) {
      return Boolean.parseBoolean((String) v); // environment variables arrive as text
    }
    throw new ConfigException("storage.s3." + key, "must be true or false");
  }
}
