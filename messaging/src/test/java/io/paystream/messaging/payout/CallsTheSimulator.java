package io.paystream.messaging.payout;

import io.paystream.messaging.payout.simulator.PayoutProviderSimulator;

/**
 * Breaks {@code MessagingArchitectureTest}'s simulator rule on purpose: a payout class holding the
 * simulator in process instead of calling a provider over HTTP. Never instantiated or called.
 */
public final class CallsTheSimulator {

  private CallsTheSimulator() {}

  public static Object leak(PayoutProviderSimulator simulator) {
    return simulator;
  }
}
