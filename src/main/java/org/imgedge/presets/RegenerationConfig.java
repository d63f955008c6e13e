package org.imgedge.presets;

import org.imgedge.config.Json;

/**
 * @param concurrency  images this node regenerates at once when it runs the regeneration; 0: it never
 *     does (for nodes that should only serve)
 * @param checkSeconds how often a node reads the shared presets again and looks for images to regenerate
 */
public record RegenerationConfig(int concurrency, int checkSeconds) {
  public static RegenerationConfig from(Json j) {
    return new RegenerationConfig(j.integer("concurrency", 2, 0, 64), j.integer("checkSeconds", 10, 1, 3600));
  }
}
