package io.paystream.messaging.kafka;

/**
 * A message that no retry can make applicable; it goes to the dead-letter topic at once. Shared by
 * every consumer (the credit leg and the payout leg throw it), so it lives with the Kafka plumbing
 * rather than in one consumer's package.
 */
public class PoisonMessageException extends RuntimeException {

  public PoisonMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
