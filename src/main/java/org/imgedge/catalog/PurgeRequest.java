package org.imgedge.catalog;

/**
 * One HTTP call a CDN must get once an image is deleted, recorded with the delete (see
 * {@link CatalogRepository#delete(String, java.util.List)}) and carried out by {@code org.imgedge.cdn}.
 *
 * @param target the name of the configured purge target it was made for
 */
public record PurgeRequest(String target, String method, String url) {}
