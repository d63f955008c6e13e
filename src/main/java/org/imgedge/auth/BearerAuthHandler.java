package org.imgedge.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;

/**
 * Checks {@code Authorization: Bearer <key>} and the key's role for one route: 401 when the key is
 * missing or unknown, 403 when its role may not use the route. Every protected route gets its roles
 * from the route table through this one handler, never from code inside the API handlers.
 */
public final class BearerAuthHandler implements Handler<RoutingContext> {

  private static final String PRINCIPAL = "principal";
  private final ApiKeys keys;
  private final Set<Role> allowed;

  private BearerAuthHandler(ApiKeys keys, Set<Role> allowed) {
    this.keys = keys;
    this.allowed = allowed;
  }

  /** @param roles the roles any one of which lets the caller in; not empty */
  public static BearerAuthHandler requiring(ApiKeys keys, Set<Role> roles) {
    return new BearerAuthHandler(keys, EnumSet.copyOf(roles));
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    Optional<Principal> principal = Optional.empty();
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      principal = keys.find(header.substring(7).trim());
    }
    if (principal.isEmpty()) {
      ctx.fail(AppException.of(ProblemType.UNAUTHORIZED, "Send a valid API key as 'Authorization: Bearer <key>'."));
      return;
    }
    if (!allowed.contains(principal.get().role())) {
      ctx.fail(AppException.of(ProblemType.FORBIDDEN, "A " + principal.get().role().name().toLowerCase() + " key may not do this."));
      return;
    }
    ctx.put(PRINCIPAL, principal.get());
    ctx.next();
  }

  /** The caller, set by this handler on every protected route. */
  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }
}
