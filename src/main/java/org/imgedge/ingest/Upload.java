package org.imgedge.ingest;

import java.nio.file.Path;
import org.imgedge.auth.Principal;

/**
 * A received upload: the body is already on disk, in staging.
 *
 * @param declaredType what the client said the content type is; logged, never trusted
 */
public record Upload(Path file, String declaredType, Principal principal) {}
