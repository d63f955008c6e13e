package org.imgedge.catalog;

/**
 * An upload's blob intent was no longer its own when it came to record the row: its lease ran out and a
 * sweep took the blobs over. Nothing was recorded, and the sweep removes the blobs.
 */
public final class IntentLostException extends RuntimeException {

  IntentLostException(String imageId) {
    super("the blob intent of " + imageId + " was taken over by a sweep", null, false, false);
  }
}
