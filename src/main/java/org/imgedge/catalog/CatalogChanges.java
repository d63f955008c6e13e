package org.imgedge.catalog;

/**
 * Told after every committed write that changes what an owner's image list shows: an upload, a delete,
 * and each analysis status change of the job queue. Caches of rendered lists hang on this.
 */
@FunctionalInterface
public interface CatalogChanges {

  CatalogChanges NONE = owner -> {};

  /** Called after the write committed, on the thread that saw it complete. */
  void ownerChanged(String owner);
}
