package org.imgedge.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;

/**
 * Checks {@code Authorization: Bearer <key or JWT>} and the caller's role for one route: 401 when the
 * credential is missing, unknown or an invalid token, 403 when its role may not use the route. Every protected route gets its roles
 * from the route table through this one handler, never from code inside the API handlers.
 */
public final class BearerAuthHandler implements Handler<RoutingContext> {

  private static final String PRINCIPAL = "principal";
  private final Authenticator authenticator;
  private final Set<Role> allowed;

  private BearerAuthHandler(Authenticator authenticator, Set<Role> allowed) {
    this.authenticator = authenticator;
    this.allowed = allowed;
  }

  /** @param roles the roles any one of which lets the caller in; not empty */
  public static BearerAuthHandler requiring(Authenticator authenticator, Set<Role> roles) {
    return new BearerAuthHandler(authenticator, EnumSet.copyOf(roles));
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.fail(AppException.of(ProblemType.UNAUTHORIZED, "Send a valid API key or token as 'Authorization: Bearer <credential>'."));
      return;
    }
    Paused.until(ctx, authenticator.authenticate(header.substring(7).trim()), principal -> {
      if (!allowed.contains(principal.role())) {
        ctx.fail(AppException.of(ProblemType.FORBIDDEN, "A " + principal.role().name().toLowerCase() + " may not do this."));
        return;
      }
      ctx.put(PRINCIPAL, principal);
      ctx.next();
    });
  }

  /** The caller, set by this handler on every protected route. */
  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }
}
