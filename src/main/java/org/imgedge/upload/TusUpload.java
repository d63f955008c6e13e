package org.imgedge.upload;

import java.util.List;

/**
 * One resumable upload, as its row says.
 *
 * @param parts     names of its stored parts, in offset order
 * @param expiresAt epoch ms
 * @param imageId   null until the bytes became an image
 */
public record TusUpload(String id, String owner, long length, long offset, List<String> parts, String filename, String filetype,
    long expiresAt, String imageId) {

  /** Every declared byte is stored; the image is recorded only once {@link #imageId} is set. */
  public boolean allBytesStored() {
    return offset == length;
  }
}
