package org.imgedge.catalog;

import java.util.List;

/** One page of a newest-first listing; {@code nextCursor} is null on the last page. */
public record Page(List<Image> items, String nextCursor) {}
