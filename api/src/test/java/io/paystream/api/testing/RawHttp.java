package io.paystream.api.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare HTTP/1.1 client over a socket that sends exactly the bytes it is given: a real client
 * refuses to send much of what an attacker sends (invalid UTF-8 in a path, control bytes in a
 * header). One request per connection ({@code Connection: close}). Blocking: tests only.
 */
public final class RawHttp {

  /** Response heads longer than this are a failure of the server, not of the client. */
  static final int HEAD_BYTES_MAX = 64 * 1024;

  private RawHttp() {}

  /**
   * A response. For a stream ({@code text/event-stream}) only the head is read: the body never
   * ends.
   *
   * @param headers names in lower case, the last value of each
   */
  public record Response(int status, Map<String, String> headers, byte[] body) {

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** The bytes of a request; {@code Host} and {@code Connection: close} are added. */
  public static byte[] request(
      String method, String target, Map<String, String> headers, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder head =
        new StringBuilder(method)
            .append(' ')
            .append(target)
            .append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    for (Map.Entry<String, String> header : headers.entrySet()) {
      // ISO-8859-1: one byte per char, so a header value can carry any byte 0x00..0xFF.
      out.writeBytes(
          (header.getKey() + ": " + header.getValue() + "\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
    }
    if (body != null) {
      out.writeBytes(
          ("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  /** Sends {@code request} and reads the answer; an answer slower than {@code timeout} throws. */
  public static Response send(int port, byte[] request, Duration timeout) throws IOException {
    return send(null, port, request, timeout);
  }

  /**
   * As {@link #send(int, byte[], Duration)}, from the local address {@code from} (any of
   * 127.0.0.0/8 on Linux), so that the server sees another peer than 127.0.0.1; null: the default.
   */
  public static Response send(InetAddress from, int port, byte[] request, Duration timeout)
      throws IOException {
    try (Socket socket = new Socket()) {
      if (from != null) {
        socket.bind(new InetSocketAddress(from, 0));
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = socket.getInputStream();
      String[] lines = head(in).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      String type = headers.getOrDefault("content-type", "");
      if (type.startsWith("text/event-stream")) {
        return new Response(status, headers, new byte[0]);
      }
      return new Response(status, headers, body(in, headers));
    }
  }

  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException(
            "the connection closed before the response head ended: "
                + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > HEAD_BYTES_MAX) {
        throw new IOException("response head over " + HEAD_BYTES_MAX + " bytes");
      }
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    return text.substring(0, text.length() - 4);
  }

  private static byte[] body(InputStream in, Map<String, String> headers) throws IOException {
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String size = line(in);
        int length = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
        if (length == 0) {
          return body.toByteArray();
        }
        body.write(in.readNBytes(length));
        line(in);
      }
    }
    String length = headers.get("content-length");
    return length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("the connection closed inside a chunked body");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }
}
