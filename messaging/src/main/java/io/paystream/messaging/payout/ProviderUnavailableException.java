package io.paystream.messaging.payout;

/**
 * The provider gave no definitive answer (5xx, 429, an unreadable body): the payout may or may not
 * have happened, so it is retried, and the breaker counts it.
 */
public class ProviderUnavailableException extends RuntimeException {

  public ProviderUnavailableException(String message) {
    super(message, null, false, false);
  }
}
