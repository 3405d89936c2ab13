package io.paystream.persistence.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One fact of the audit trail.
 *
 * @param type what happened, dotted snake_case ({@code auth.login.failed}, {@code money.accepted})
 * @param userId who did it or whom it concerns; null when unknown (a login for an unknown email)
 * @param requestId the request's {@code X-Request-Id}, to join the trail with logs
 * @param clientAddress the address the request came from
 * @param metadata a JSON object; never a password, a token or a full email address
 */
public record AuditRecord(
    UUID id,
    String type,
    UUID userId,
    String requestId,
    String clientAddress,
    String metadata,
    Instant createdAt) {

  public AuditRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
