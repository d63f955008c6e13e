package org.imgedge.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Puts the current request's id (see {@link RequestContext}) into the MDC just before a line is made, on
 * the thread that makes it, so that every encoder (the text pattern's {@code %X}, the JSON encoder's MDC
 * fields) sees it. A filter runs for every logging call, enabled or not, so it does nothing for a level
 * that will not be written: the per-request {@code isDebugEnabled} of the access log stays cheap.
 */
public final class RequestIdTurboFilter extends TurboFilter {

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != null && level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      String id = RequestContext.id();
      if (id != null) {
        MDC.put(RequestContext.MDC_KEY, id);
      } else {
        MDC.remove(RequestContext.MDC_KEY);
      }
    }
    return FilterReply.NEUTRAL;
  }
}
