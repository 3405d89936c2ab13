package io.paystream.messaging.payout;

import java.util.UUID;

/** What the provider is asked to pay; {@code id} is the withdrawal's, the provider's dedup key. */
public record PayoutOrder(UUID id, long amount, String currency, String destination) {

  @Override
  public String toString() {
    // Never the whole destination in a log line.
    return "PayoutOrder[" + id + ", " + amount + " " + currency + "]";
  }
}
