package org.imgedge.catalog;

import java.util.UUID;

/**
 * Who holds a blob intent: a node (its id lasts across restarts, kept in its storage folder) in one run
 * of its process. At start a node knows that every intent of its earlier runs lost its holder.
 */
public record IntentHolder(String node, String boot) {

  public static IntentHolder newBoot(String node) {
    return new IntentHolder(node, UUID.randomUUID().toString());
  }

  /** A holder for one takeover by this run's sweep: distinct from the uploads' and from every other takeover. */
  public IntentHolder sweeper() {
    return new IntentHolder(node, boot + ":sweep-" + UUID.randomUUID());
  }

  @Override
  public String toString() {
    return node + ":" + boot;
  }
}
