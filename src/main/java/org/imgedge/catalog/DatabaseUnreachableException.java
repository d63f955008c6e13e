package org.imgedge.catalog;

/** PostgreSQL could not be reached for the whole of {@code database.startupWaitSeconds}: the start stops. */
public final class DatabaseUnreachableException extends RuntimeException {

  DatabaseUnreachableException(String message) {
    super(message, null, false, false);
  }
}
