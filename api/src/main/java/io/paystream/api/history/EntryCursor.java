package io.paystream.api.history;

import io.paystream.api.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The position after the last entry of a page: its (createdAt, id), which orders entries totally.
 * Opaque to clients (base64url); a cursor that does not decode is a 400, not a 500.
 */
record EntryCursor(Instant createdAt, UUID id) {

  String encode() {
    String raw = createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id;
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static EntryCursor decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] parts = raw.split(":", 3);
      return new EntryCursor(Instant.ofEpochSecond(Long.parseLong(parts[0]),
          Long.parseLong(parts[1])), UUID.fromString(parts[2]));
    } catch (RuntimeException e) {
      throw ApiException.invalid("cursor", "is not a cursor this API issued");
    }
  }
}
