package org.imgedge.testing;

/**
 * Closes what a test class opened: in order, each one even when one before it failed, and none that was
 * never opened (null), so that an app that fails to close does not leave a database or a mount behind.
 */
public final class Teardown {

  private Teardown() {}

  /** @throws Exception the first close's failure, with any later ones suppressed in it */
  public static void closeAll(AutoCloseable... resources) throws Exception {
    Exception first = null;
    for (AutoCloseable resource : resources) {
      if (resource == null) {
        continue;
      }
      try {
        resource.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
