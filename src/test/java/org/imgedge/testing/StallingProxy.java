package org.imgedge.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy whose answers can be held back while every connection stays open: what a node sees of a
 * server that stalls, or of a network that stops delivering, without the connection breaking.
 */
public final class StallingProxy {

  private final NetServer server;
  private final NetClient client;
  private final List<NetSocket> upstreams = new CopyOnWriteArrayList<>();
  private volatile boolean stalled;

  private StallingProxy(NetServer server, NetClient client) {
    this.server = server;
    this.client = client;
  }

  /** Listens on a free port of 127.0.0.1 and forwards each connection to {@code targetPort}. */
  public static Future<StallingProxy> start(Vertx vertx, int targetPort) {
    return start(vertx, 0, targetPort);
  }

  /** Listens on {@code listenPort} of 127.0.0.1 (0: a free one) and forwards each connection to {@code targetPort}. */
  public static Future<StallingProxy> start(Vertx vertx, int listenPort, int targetPort) {
    NetClient client = vertx.createNetClient();
    NetServer server = vertx.createNetServer();
    StallingProxy proxy = new StallingProxy(server, client);
    server.connectHandler(downstream -> {
      downstream.pause();
      client.connect(targetPort, "127.0.0.1").onSuccess(upstream -> {
        proxy.upstreams.add(upstream);
        if (proxy.stalled) {
          upstream.pause();
        }
        downstream.pipeTo(upstream);
        upstream.pipeTo(downstream);
        downstream.resume();
      }).onFailure(e -> downstream.close());
    });
    return server.listen(listenPort, "127.0.0.1").map(s -> proxy);
  }

  public int port() {
    return server.actualPort();
  }

  /** Stops reading the target's answers: they wait in the target's buffers until {@link #resume()}. */
  public void stall() {
    stalled = true;
    upstreams.forEach(NetSocket::pause);
  }

  public void resume() {
    stalled = false;
    upstreams.forEach(NetSocket::resume);
  }

  public Future<Void> close() {
    return server.close().eventually(client::close);
  }
}
