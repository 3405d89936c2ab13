package io.paystream.api.audit;

/**
 * What the audit trail records about the request being served, carried in the Reactor context by
 * {@link AuditContextFilter} so that any code on the request's path can record an event.
 */
public record AuditContext(String requestId, String clientAddress) {}
