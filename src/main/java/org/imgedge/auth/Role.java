package org.imgedge.auth;

/** What a key may do: clients upload and read their own images, workers read originals, admins all. */
public enum Role {
  CLIENT, WORKER, ADMIN
}
