package org.imgedge.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Records every log call at INFO or above that carries a Throwable, and every ERROR, from any thread,
 * whatever the configured levels (a turbo filter sees calls before the level check). Bad input must
 * never get that far: it is answered with a problem, not logged as a failure.
 */
public final class LoggedProblems extends TurboFilter implements AutoCloseable {

  private final List<String> seen = new CopyOnWriteArrayList<>();

  private LoggedProblems() {}

  /** Starts recording; {@link #close()} stops. */
  public static LoggedProblems record() {
    LoggedProblems filter = new LoggedProblems();
    filter.setName("logged-problems");
    filter.start();
    context().addTurboFilter(filter);
    return filter;
  }

  /** What was logged, one line each: level, logger, message and the Throwable's class and message. */
  public List<String> seen() {
    return List.copyOf(seen);
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    Throwable thrown = t != null ? t
        : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last : null;
    if (level != null && (level.isGreaterOrEqual(Level.ERROR) || (thrown != null && level.isGreaterOrEqual(Level.INFO)))) {
      seen.add(level + " " + logger.getName() + " - " + format + (thrown == null ? "" : " / " + thrown));
    }
    return FilterReply.NEUTRAL;
  }

  @Override
  public void close() {
    context().getTurboFilterList().remove(this);
    stop();
  }

  private static LoggerContext context() {
    return (LoggerContext) LoggerFactory.getILoggerFactory();
  }
}
