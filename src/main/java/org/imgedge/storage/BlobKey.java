package org.imgedge.storage;

import java.util.regex.Pattern;

/**
 * Names one stored blob: the original or a variant of one image. Both parts are checked so that a key
 * can never name a path outside the image's own folder.
 */
public record BlobKey(String imageId, String name) {

  private static final Pattern SAFE = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");
  public static final String ORIGINAL = "original";

  public BlobKey {
    if (!SAFE.matcher(imageId).matches() || !SAFE.matcher(name).matches() || name.contains("..")) {
      throw new IllegalArgumentException("unsafe blob key");
    }
  }

  public static BlobKey original(String imageId) {
    return new BlobKey(imageId, ORIGINAL);
  }

  public static BlobKey variant(String imageId, String preset) {
    return new BlobKey(imageId, preset + ".jpg");
  }
}
