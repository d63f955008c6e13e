package org.imgedge.http;

/** One group of endpoints: it adds its own routes, with their roles and bodies, to the server's table. */
public interface Api {

  void addRoutes(Routing routing);
}
