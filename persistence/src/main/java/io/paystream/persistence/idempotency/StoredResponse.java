package io.paystream.persistence.idempotency;

/** The answer given to the first request with a key, replayed verbatim to every later one. */
public record StoredResponse(int status, String body, String location) {}
