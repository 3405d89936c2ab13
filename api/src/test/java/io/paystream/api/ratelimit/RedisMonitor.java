package io.paystream.api.ratelimit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Redis's {@code MONITOR} on a connection of the test's own: every command the server executes, as
 * a line, with who sent it ({@code [0 127.0.0.1:port]} for a client's command, {@code [0 lua]} for
 * one a script ran). A test filters the lines by its own key namespace, so other test JVMs on the
 * same Redis do not count. Plain blocking socket on a daemon thread: test infrastructure, never a
 * Reactor thread.
 */
public final class RedisMonitor implements AutoCloseable {

  private final Socket socket;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  public RedisMonitor(String host, int port) {
    try {
      socket = new Socket(host, port);
      OutputStream out = socket.getOutputStream();
      out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String ok = in.readLine();
      if (!"+OK".equals(ok)) {
        throw new IllegalStateException("MONITOR answered " + ok);
      }
      Thread reader =
          new Thread(
              () -> {
                try {
                  for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                  }
                } catch (IOException closed) {
                  // close() ended the monitor.
                }
              },
              "redis-monitor");
      reader.setDaemon(true);
      reader.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Commands a client sent (one per round trip here) that mention {@code text}. */
  public long sent(String text) {
    return lines.stream().filter(line -> line.contains(text) && !line.contains(" lua]")).count();
  }

  /** Commands scripts ran that mention {@code text}. */
  public long ranByScripts(String text) {
    return lines.stream().filter(line -> line.contains(text) && line.contains(" lua]")).count();
  }

  /** The lines that mention {@code text}, for a failure message. */
  public List<String> lines(String text) {
    return lines.stream().filter(line -> line.contains(text)).toList();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }
}
