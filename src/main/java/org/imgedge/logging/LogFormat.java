package org.imgedge.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.spi.AppenderAttachable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Switches the console to JSON lines when {@code logging.format} is json. logback reads its file before
 * the service has read its configuration, so the file sets up the text format and this swaps the encoder
 * of every console appender, behind the async queue too, once the configuration is known.
 */
public final class LogFormat {

  private LogFormat() {}

  public static void apply(LoggingConfig config) {
    if (!config.json() || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    for (OutputStreamAppender<ILoggingEvent> out : outputs(context)) {
      LogstashEncoder json = new LogstashEncoder();
      json.setContext(context);
      json.start();
      // stop and start around the swap: logback writes a line with one encoder or the other, never a mix
      out.stop();
      out.setEncoder(json);
      out.start();
    }
  }

  private static List<OutputStreamAppender<ILoggingEvent>> outputs(LoggerContext context) {
    List<OutputStreamAppender<ILoggingEvent>> found = new ArrayList<>();
    context.getLoggerList().forEach(logger -> collect(logger.iteratorForAppenders(), found));
    return found;
  }

  @SuppressWarnings("unchecked")
  private static void collect(Iterator<Appender<ILoggingEvent>> appenders, List<OutputStreamAppender<ILoggingEvent>> found) {
    appenders.forEachRemaining(a -> {
      if (a instanceof OutputStreamAppender<ILoggingEvent> out && !found.contains(out)) {
        found.add(out);
      } else if (a instanceof AppenderAttachable<?> wrapper) {
        collect(((AppenderAttachable<ILoggingEvent>) wrapper).iteratorForAppenders(), found);
      }
    });
  }
}
