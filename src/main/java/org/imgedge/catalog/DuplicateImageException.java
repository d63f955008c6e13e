package org.imgedge.catalog;

/** The owner already has an image with these bytes (the database's unique rule said so). */
public final class DuplicateImageException extends RuntimeException {

  public DuplicateImageException() {
    super("duplicate image", null, false, false);
  }
}
