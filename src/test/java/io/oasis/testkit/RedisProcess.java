package io.oasis.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import redis.embedded.RedisServer;

/**
 * A real redis-server process (the binary embedded-redis ships) on a free loopback port, which a test can stop
 * and start again on the same port to play an outage.
 */
public final class RedisProcess {

    private final int port = freePort();
    private RedisServer server;

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it, unless it runs already. */
    public synchronized RedisProcess start() {
        if (server != null) {
            return this;
        }
        try {
            server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                    .setting("save \"\"").setting("appendonly no").build();
            server.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server did not start on port " + port, e);
        }
    }

    public synchronized void stop() {
        if (server != null) {
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
