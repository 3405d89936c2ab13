package io.paystream.api.audit;

import io.paystream.api.web.ApiException;
import io.paystream.api.web.Cursors;
import io.paystream.api.web.Cursors.Kind;
import io.paystream.api.web.Page;
import io.paystream.persistence.audit.AuditRecord;
import io.paystream.persistence.audit.AuditStore;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The audit trail for operators (OPS role, enforced by the security chain on /api/v1/ops/**). */
@RestController
public class AuditController {

  /** The shape the database accepts for a type; anything else cannot match, so it is a 400. */
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_.]{0,63}");

  private final AuditStore store;
  private final JsonMapper json;
  private final Cursors cursors;

  public AuditController(AuditStore store, JsonMapper json, Cursors cursors) {
    this.store = store;
    this.json = json;
    this.cursors = cursors;
  }

  /** One audit event as operators see it. */
  public record AuditEventDocument(
      UUID id,
      String type,
      UUID userId,
      String requestId,
      String clientAddress,
      JsonNode metadata,
      Instant createdAt) {}

  @GetMapping("/api/v1/ops/audit")
  public Mono<Page<AuditEventDocument>> audit(
      @RequestParam(required = false) UUID userId,
      @RequestParam(required = false) String type,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor) {
    int size = Page.limit(limit);
    if (type != null && !TYPE.matcher(type).matches()) {
      throw ApiException.invalid("type", "must be an audit event type like auth.login.failed");
    }
    UUID before = cursors.id(Kind.AUDIT_EVENTS, cursor);
    return store
        .page(userId, type, before, size + 1)
        .map(this::document)
        .collectList()
        .map(items -> Page.of(items, size, last -> cursors.of(Kind.AUDIT_EVENTS, last.id())));
  }

  private AuditEventDocument document(AuditRecord record) {
    return new AuditEventDocument(
        record.id(),
        record.type(),
        record.userId(),
        record.requestId(),
        record.clientAddress(),
        json.readTree(record.metadata()),
        record.createdAt());
  }
}
