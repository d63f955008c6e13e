package org.imgedge.storage;

/** The object store could not be reached, or answered that it cannot serve now (a 5xx): retry later. */
public final class StorageUnavailableException extends RuntimeException {

  StorageUnavailableException(Throwable cause) {
    super("the object store is unavailable: " + cause.getMessage(), cause, false, false);
  }
}
