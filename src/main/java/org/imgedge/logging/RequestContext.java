package org.imgedge.logging;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.Map;

/**
 * The id of the request being served, kept in the Vert.x context rather than in a thread: every HTTP
 * request runs on a context of its own, which its futures, timers and blocking calls keep as they hop
 * threads, so the id follows the request where a thread-local MDC would not. {@link RequestIdTurboFilter}
 * copies it into each log line's MDC as {@value #MDC_KEY}.
 */
public final class RequestContext {

  /** The MDC key, and the event-bus header that carries the id to a worker verticle. */
  public static final String MDC_KEY = "requestId";

  private RequestContext() {}

  /** Marks the current context (a request's own) as serving {@code id}. */
  public static void bind(String id) {
    Context context = Vertx.currentContext();
    if (context != null) {
      ((ContextInternal) context).localContextData().put(MDC_KEY, id);
    }
  }

  /** Forgets the id: for a worker's context that serves one request after another. */
  public static void unbind() {
    Context context = Vertx.currentContext();
    if (context != null) {
      Map<Object, Object> data = ((ContextInternal) context).getLocal(ContextInternal.LOCAL_MAP);
      if (data != null) {
        data.remove(MDC_KEY);
      }
    }
  }

  /** The id of the request the current context serves, or null. Never creates the context's local map. */
  public static String id() {
    Context context = Vertx.currentContext();
    if (context == null) {
      return null;
    }
    Map<Object, Object> data = ((ContextInternal) context).getLocal(ContextInternal.LOCAL_MAP);
    return data == null ? null : (String) data.get(MDC_KEY);
  }
}
