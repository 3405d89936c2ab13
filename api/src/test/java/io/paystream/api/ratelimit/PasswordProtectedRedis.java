package io.paystream.api.ratelimit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server of the test's own, on a free loopback port and with a password, so that a test can
 * prove what the application does with {@code spring.data.redis.password} without touching the
 * machine's shared Redis or its configuration. Keeps nothing on disk; stopped by {@link #close}.
 */
final class PasswordProtectedRedis implements AutoCloseable {

  /** A cold redis-server accepts connections within milliseconds; a busy machine may be slow. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final Process process;
  private final int port;
  private final String password;

  PasswordProtectedRedis(String password) {
    this.password = password;
    this.port = freePort();
    try {
      Path dir = Files.createTempDirectory("paystream-redis-");
      this.process =
          new ProcessBuilder(
                  "redis-server",
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--requirepass",
                  password,
                  "--save",
                  "",
                  "--appendonly",
                  "no",
                  "--daemonize",
                  "no",
                  "--dir",
                  dir.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("redis-server could not be started", e);
    }
    awaitAccepting();
  }

  int port() {
    return port;
  }

  String password() {
    return password;
  }

  /** As if the server had restarted: it forgets every script it was sent. */
  void flushScripts() {
    RedisClient client =
        RedisClient.create(
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(port)
                .withPassword(password.toCharArray())
                .build());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().scriptFlush();
    } finally {
      client.shutdown();
    }
  }

  private void awaitAccepting() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + process.exitValue());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep();
      }
    }
    close();
    throw new IllegalStateException("redis-server did not accept connections on " + port);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
