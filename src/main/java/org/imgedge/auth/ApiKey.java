package org.imgedge.auth;

/** One configured API key: the secret, the owner of what it uploads, and its role. */
public record ApiKey(String key, String subject, Role role) {

  @Override
  public String toString() {
    return "ApiKey[subject=" + subject + ", role=" + role + "]"; // never the secret
  }
}
