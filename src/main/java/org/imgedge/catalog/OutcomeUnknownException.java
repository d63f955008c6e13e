package org.imgedge.catalog;

/**
 * The connection to the database dropped after a write was sent: it may have committed or not. The
 * caller must keep whatever the row would point at, since the row may exist.
 */
public final class OutcomeUnknownException extends RuntimeException {

  public OutcomeUnknownException(Throwable cause) {
    super("the database connection dropped after the write was sent", cause, false, false);
  }
}
