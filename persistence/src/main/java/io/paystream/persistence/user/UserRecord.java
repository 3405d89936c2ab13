package io.paystream.persistence.user;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user as stored; {@code passwordHash} never leaves the api module's login path. */
public record UserRecord(
    UUID id,
    String email,
    String name,
    String passwordHash,
    List<String> roles,
    Instant createdAt) {

  public UserRecord {
    roles = List.copyOf(roles);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
