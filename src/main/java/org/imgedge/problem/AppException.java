package org.imgedge.problem;

/**
 * A failure with a problem type and a detail that is safe to show a client. Client errors carry no
 * stack trace: they are expected, and filling one in for every bad upload is wasted work.
 */
public final class AppException extends RuntimeException {

  private final ProblemType type;
  private final Integer retryAfterSeconds;

  private AppException(ProblemType type, String detail, Throwable cause, Integer retryAfterSeconds) {
    super(detail, cause, false, type.status() >= 500);
    this.type = type;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static AppException of(ProblemType type, String detail) {
    return new AppException(type, detail, null, null);
  }

  public static AppException of(ProblemType type, String detail, Throwable cause) {
    return new AppException(type, detail, cause, null);
  }

  /** A 429 or 503 that tells the client when to try again. */
  public static AppException retryLater(ProblemType type, String detail, int retryAfterSeconds) {
    return new AppException(type, detail, null, retryAfterSeconds);
  }

  /**
   * 503 {@code unavailable} for a dependency that is down, restarting or busy. Five seconds: long enough
   * for a restarted database to accept connections again, short enough to feel alive.
   */
  public static AppException unavailable(String detail) {
    return retryLater(ProblemType.UNAVAILABLE, detail, 5);
  }

  /** The disk is full: 507 with a Retry-After long enough for an operator to free space. */
  public static AppException storageFull() {
    return retryLater(ProblemType.INSUFFICIENT_STORAGE, "The service's storage is full; nothing of this upload was kept.", 60);
  }

  public ProblemType type() {
    return type;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
