package io.paystream.persistence.outbox;

/**
 * A message that is not a money event this version can read: malformed JSON, an unknown type, a
 * resource that fails its own invariants, a key that is not its resource's. No retry can make it
 * readable; a consumer dead-letters it and counts it, and never drops it with a log line.
 */
public final class UndecodableEventException extends RuntimeException {

  public UndecodableEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
