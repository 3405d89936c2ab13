package io.paystream.api.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IP address written as a literal, parsed without ever asking DNS: {@link InetAddress#getByName}
 * looks up anything that is not a literal, which would block an event loop and let a client make us
 * resolve names of its choice.
 */
final class IpLiteral {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

  /** The longest IPv6 text (an IPv4-mapped form with every group written out) is 45 chars. */
  private static final int LENGTH_MAX = 45;

  private IpLiteral() {}

  /**
   * The address {@code text} spells (IPv4 dotted quad, or IPv6 with or without brackets), or empty
   * when it is anything else: a name, a port, garbage.
   */
  static Optional<InetAddress> parse(String text) {
    String literal =
        text.length() > 2 && text.startsWith("[") && text.endsWith("]")
            ? text.substring(1, text.length() - 1)
            : text;
    if (literal.isEmpty() || literal.length() > LENGTH_MAX) {
      return Optional.empty();
    }
    boolean v4 = IPV4.matcher(literal).matches();
    boolean v6 = !v4 && literal.indexOf(':') >= 0 && IPV6.matcher(literal).matches();
    if (!v4 && !v6) {
      return Optional.empty();
    }
    if (v4) {
      for (String part : literal.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return Optional.empty();
        }
      }
    }
    try {
      // A dotted quad or text with a colon is a literal to getByName: it never resolves it.
      return Optional.of(InetAddress.getByName(literal));
    } catch (UnknownHostException malformed) {
      return Optional.empty();
    }
  }
}
