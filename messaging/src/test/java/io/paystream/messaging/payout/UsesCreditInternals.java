package io.paystream.messaging.payout;

import io.paystream.messaging.credit.CreditLeg;

/**
 * Breaks {@code MessagingArchitectureTest}'s entry-point rule on purpose: the payout leg using the
 * credit leg's class. Never instantiated or called.
 */
public final class UsesCreditInternals {

  private UsesCreditInternals() {}

  public static Object leak(CreditLeg leg) {
    return leg;
  }
}
