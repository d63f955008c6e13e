package org.imgedge.ingest;

import org.imgedge.catalog.Image;

/** @param created false when the owner had already uploaded the same bytes (answered 200, not 201) */
public record IngestResult(Image image, boolean created) {}
