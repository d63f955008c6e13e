package org.imgedge.catalog;

/** The database did not answer a statement within {@code database.statementTimeoutMillis}: the client sees 503. */
public final class DatabaseTimeoutException extends RuntimeException {

  DatabaseTimeoutException(long millis) {
    super("the database did not answer within " + millis + " ms", null, false, false);
  }
}
