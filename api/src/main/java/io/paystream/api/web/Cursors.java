package io.paystream.api.web;

import io.paystream.api.ApiProperties;
import io.paystream.api.security.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The opaque {@code cursor} of every paged endpoint: a position signed with HMAC-SHA256 (a key
 * derived from the JWT secret for this purpose only), so the server reads back only what it issued.
 * A cursor names the list it belongs to ({@link Kind}), so one list's cursor is refused by another.
 * Anything else, from bad base64 to a valid signature over another kind, is a 400 {@code
 * validation_failed} on {@code cursor}, never a query with a value the database cannot represent.
 *
 * <p>Format: {@code base64url(position) "." base64url(first 16 bytes of the MAC)}. 128 bits of MAC
 * is far beyond guessing; the position is not secret (it is the last item's id or time).
 */
@Component
public class Cursors {

  /** Longer strings are refused before any decoding; issued cursors are under 120 characters. */
  static final int LENGTH_MAX = 256;

  /** Bytes of the MAC kept in a cursor. */
  static final int TAG_BYTES = 16;

  private static final String PURPOSE = "paystream page cursor v1";

  /** The lists that page, each with its own cursors. */
  public enum Kind {
    ENTRIES,
    TRANSFERS,
    AUDIT_EVENTS,
    DEAD_LETTERS,
    ACCOUNTS,
    WITHDRAWALS,
    WEBHOOK_DELIVERIES,
    HOLDS
  }

  /** A position in time order: an item's timestamp, then its id to break ties. */
  public record TimeAndId(Instant time, UUID id) {}

  private final byte[] key;

  @Autowired
  public Cursors(ApiProperties properties) {
    this(properties.jwtSecret());
  }

  /** Cursors signed with a key derived from {@code jwtSecret}. */
  Cursors(String jwtSecret) {
    this.key =
        SigningKeys.derive(jwtSecret, "PAYSTREAM_JWT_SECRET", "paystream page cursor signing key");
  }

  public String of(Kind kind, UUID id) {
    return sign(kind, id.toString());
  }

  public String of(Kind kind, TimeAndId position) {
    return sign(
        kind,
        position.time().getEpochSecond() + ":" + position.time().getNano() + ":" + position.id());
  }

  /** The id in a cursor of {@code kind}, or null when {@code cursor} is null. */
  public UUID id(Kind kind, String cursor) {
    if (cursor == null) {
      return null;
    }
    try {
      return UUID.fromString(open(kind, cursor));
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  /** The position in a cursor of {@code kind}, or null when {@code cursor} is null. */
  public TimeAndId timeAndId(Kind kind, String cursor) {
    if (cursor == null) {
      return null;
    }
    String[] parts = open(kind, cursor).split(":", 3);
    try {
      return new TimeAndId(
          Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
          UUID.fromString(parts[2]));
    } catch (RuntimeException e) {
      throw invalid();
    }
  }

  private String sign(Kind kind, String position) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    return base64.encodeToString(position.getBytes(StandardCharsets.UTF_8))
        + "."
        + base64.encodeToString(tag(kind, position));
  }

  /** The signed position, or a 400 for anything this API did not issue for {@code kind}. */
  private String open(Kind kind, String cursor) {
    int dot = cursor.indexOf('.');
    if (cursor.length() > LENGTH_MAX || dot < 0) {
      throw invalid();
    }
    String position;
    byte[] tag;
    try {
      Base64.Decoder base64 = Base64.getUrlDecoder();
      position = new String(base64.decode(cursor.substring(0, dot)), StandardCharsets.UTF_8);
      tag = base64.decode(cursor.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    // Constant time, so response timing does not reveal how much of a forged tag matched.
    if (!MessageDigest.isEqual(tag(kind, position), tag)) {
      throw invalid();
    }
    return position;
  }

  private byte[] tag(Kind kind, String position) {
    byte[] mac =
        SigningKeys.mac(
            key, (PURPOSE + "\n" + kind.name() + "\n" + position).getBytes(StandardCharsets.UTF_8));
    return Arrays.copyOf(mac, TAG_BYTES);
  }

  private static ApiException invalid() {
    return ApiException.invalid("cursor", "is not a cursor this API issued");
  }
}
