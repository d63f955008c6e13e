package org.imgedge.catalog;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The record of every image, in SQLite or PostgreSQL. */
public interface CatalogRepository {

  /** @param changes told of every insert and delete once it committed */
  static CatalogRepository sql(Sql sql, CatalogChanges changes) {
    return new SqlCatalogRepository(sql, changes);
  }

  /** @return the image, or empty when there is none with this id */
  Future<Optional<Image>> find(String id);

  /** @return the owner's image with these bytes, or empty */
  Future<Optional<Image>> findByOwnerAndSha(String owner, String sha256);

  /**
   * Newest first, keyset-paginated: stable while uploads arrive.
   *
   * @param owner  only this owner's images, or every image when null
   * @param cursor a {@link Page#nextCursor()} from an earlier page, or null for the first
   * @throws IllegalArgumentException (as a failed future) for a cursor this service did not make
   */
  Future<Page> list(String owner, String cursor, int limit);

  /**
   * Records the row of an upload whose blobs are committed, if its blob intent is still its own, then
   * closes the intent (see {@link BlobIntents}).
   *
   * @return fails with {@link DuplicateImageException} when the owner already has these bytes (the
   *     intent stays open), with {@link IntentLostException} when a sweep took the intent over
   */
  Future<Void> insert(Image image, IntentHolder holder);

  /**
   * Deletes the row, and in the same transaction opens a blob intent for its blobs (which the caller
   * closes once they are gone, see {@link BlobIntents}) and records the CDN purges it owes: a delete that
   * was acknowledged can lose neither.
   *
   * @return whether a row was deleted (the intent and the purges are recorded only then)
   */
  Future<Boolean> delete(String id, List<PurgeRequest> purges, IntentHolder holder);

  /**
   * Replaces an image's variant records with those of variants made again from its original, gives it
   * {@code thumbHash} unless that is null (a placeholder is never removed), and records the CDN purges
   * its old URLs need, in one transaction.
   *
   * @return whether the image still exists
   */
  Future<Boolean> updateVariants(String id, Map<String, Variant> variants, String thumbHash, List<PurgeRequest> purges);

  /**
   * Images whose variants are not exactly the presets of the set with this fingerprint, at its specs
   * (see {@code Variant#fingerprint}), a page at a time in the order of their index, so that each page
   * reads only its own rows, however many images are behind.
   *
   * @param after {@link OutdatedPage.Position#START}, or the {@code next} of the page before
   */
  Future<OutdatedPage> outdated(String fingerprint, OutdatedPage.Position after, int limit);

  /** @return how many images {@link #outdated} would give in all */
  Future<Long> countOutdated(String fingerprint);

  /** @return those of {@code ids} that have a row */
  Future<Set<String>> existing(Collection<String> ids);

  /** @return succeeds when the database answers */
  Future<Void> ping();
}
