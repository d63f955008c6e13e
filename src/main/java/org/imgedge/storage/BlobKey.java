package org.imgedge.storage;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.imgedge.catalog.VariantFormat;

/**
 * Names one stored blob: the original or a variant of one image. Both parts are checked so that a key
 * can never name a path outside the image's own folder.
 *
 * <p>The layout both stores share: {@code <shard>/<imageId>/<name>}, where the shard is the id's last
 * two hex digits (ids end in random bits), so blobs spread evenly over 256 folders or prefixes and a
 * big store can be walked one shard at a time.
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
    return variant(imageId, preset, VariantFormat.JPEG);
  }

  /** A variant's file in {@code format}, named by its extension ("small.webp"). */
  public static BlobKey variant(String imageId, String preset, VariantFormat format) {
    return new BlobKey(imageId, preset + "." + format.extension());
  }

  /** Every shard's name, "00" to "ff". */
  public static List<String> shards() {
    return IntStream.range(0, 256).mapToObj(n -> String.format("%02x", n)).toList();
  }

  /** The folder (or S3 prefix) of every blob of one image, with a trailing slash. */
  public static String folderOf(String imageId) {
    return imageId.substring(imageId.length() - 2) + "/" + imageId + "/";
  }

  /** This blob's path relative to the store's root: its S3 key, or its file under the blob folder. */
  public String path() {
    return folderOf(imageId) + name;
  }
}
