package io.paystream.api.audit;

import io.paystream.domain.RejectedException;
import io.paystream.persistence.audit.AuditRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Audit events of money-moving requests, written by the idempotency service inside the transaction
 * that moves the money (or stores the refusal), so every accepted and every rejected movement has
 * exactly one event, and a replay adds none.
 */
@Component
public class MoneyAudit {

  /**
   * Request fields copied into the event: who, what, how much, and why for the requests that ask
   * for a reason (a refund, a hold's void: required of operators for the audit trail's sake). Other
   * free text (description, reference, destination) is left out: it is the client's and may hold
   * personal data.
   */
  static final List<String> RECORDED_FIELDS =
      List.of("accountId", "fromAccountId", "toAccountId", "amount", "currency", "reason");

  private final AuditTrail audit;
  private final JsonMapper json;

  public MoneyAudit(AuditTrail audit, JsonMapper json) {
    this.audit = audit;
    this.json = json;
  }

  /**
   * @param request the canonical request: method, path and body, separated by single spaces
   * @param status the HTTP status answered
   * @param responseBody the answer's JSON body, whose {@code id} names the new resource
   */
  public Mono<Void> accepted(UUID user, String request, int status, String responseBody) {
    return audit.record(
        AuditTrail.MONEY_ACCEPTED, user, acceptedMetadata(request, status, responseBody));
  }

  /** A refusal, and a risk-limit event when a limit refused it ({@link #rejectedEvents}). */
  public Mono<Void> rejected(UUID user, String request, int status, RejectedException rejected) {
    return Mono.deferContextual(
        context ->
            recordAll(
                rejectedEvents(
                    user,
                    request,
                    status,
                    rejected,
                    context.getOrDefault(AuditContext.class, null))));
  }

  /** The event {@link #accepted} records, for a request served with {@code context}. */
  public AuditRecord acceptedEvent(
      UUID user, String request, int status, String responseBody, AuditContext context) {
    return audit.event(
        AuditTrail.MONEY_ACCEPTED, user, acceptedMetadata(request, status, responseBody), context);
  }

  /** The events {@link #rejected} records, for a request served with {@code context}. */
  public List<AuditRecord> rejectedEvents(
      UUID user, String request, int status, RejectedException rejected, AuditContext context) {
    Map<String, Object> metadata = rejectedMetadata(request, status, rejected);
    AuditRecord refused = audit.event(AuditTrail.MONEY_REJECTED, user, metadata, context);
    return rejected.limit() == null
        ? List.of(refused)
        : List.of(refused, audit.event(AuditTrail.RISK_LIMIT_EXCEEDED, user, metadata, context));
  }

  /** Appends events built by the two methods above, in one statement. */
  public Mono<Void> recordAll(List<AuditRecord> events) {
    return audit.recordAll(events);
  }

  private Map<String, Object> acceptedMetadata(String request, int status, String responseBody) {
    Map<String, Object> metadata = describe(request, status);
    JsonNode id = readTree(responseBody).get("id");
    if (id != null && id.isString()) {
      metadata.put("resourceId", id.asString());
    }
    return metadata;
  }

  private Map<String, Object> rejectedMetadata(
      String request, int status, RejectedException rejected) {
    Map<String, Object> metadata = describe(request, status);
    metadata.put("code", rejected.rejection().code());
    if (rejected.limit() != null) {
      metadata.put("limit", rejected.limit());
    }
    return metadata;
  }

  private Map<String, Object> describe(String request, int status) {
    String[] parts = request.split(" ", 3);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("operation", parts.length >= 2 ? parts[0] + " " + parts[1] : request);
    metadata.put("status", status);
    if (parts.length == 3) {
      JsonNode body = readTree(parts[2]);
      for (String field : RECORDED_FIELDS) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull()) {
          metadata.put(field, value.isNumber() ? value.asLong() : value.asString());
        }
      }
    }
    return metadata;
  }

  private JsonNode readTree(String text) {
    try {
      JsonNode node = json.readTree(text);
      return node == null ? json.createObjectNode() : node;
    } catch (RuntimeException notJson) {
      return json.createObjectNode();
    }
  }
}
