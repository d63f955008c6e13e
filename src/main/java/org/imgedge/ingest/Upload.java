package org.imgedge.ingest;

import java.nio.file.Path;
import org.imgedge.auth.Principal;

/** A received upload: the body is already on disk, in staging, and its format is read from its bytes alone. */
public record Upload(Path file, Principal principal) {}
