package org.imgedge.auth;

/** Who is calling: the subject owns the images it uploads. */
public record Principal(String subject, Role role) {

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /** Admins see every image; anyone else only their own. */
  public boolean mayRead(String owner) {
    return isAdmin() || subject.equals(owner);
  }
}
