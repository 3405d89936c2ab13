package io.paystream.messaging.payout;

/**
 * The provider's definitive word on a payout: it was paid, or refused for good. Anything else (5xx,
 * timeout, no connection) is not an answer but a {@link ProviderUnavailableException}.
 */
public sealed interface ProviderAnswer permits ProviderAnswer.Paid, ProviderAnswer.Refused {

  /** The money left: {@code reference} is the provider's id for the payout. */
  record Paid(String reference) implements ProviderAnswer {}

  /** The provider will never pay this order; the money goes back to the payer. */
  record Refused(String reason) implements ProviderAnswer {}
}
