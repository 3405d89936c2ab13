package io.paystream.api.history;

import io.paystream.api.money.TransferController;

/**
 * Breaks {@code ApiArchitectureTest}'s entry-point rule on purpose: a history class using the money
 * feature's controller, which money does not offer. Never instantiated or called.
 */
public final class ReachesIntoMoneyInternals {

  private ReachesIntoMoneyInternals() {}

  public static Object leak(TransferController controller) {
    return controller;
  }
}
