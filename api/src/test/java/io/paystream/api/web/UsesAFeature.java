package io.paystream.api.web;

import io.paystream.api.money.MoneyPolicy;

/**
 * Breaks {@code ApiArchitectureTest}'s shared-infrastructure rule on purpose: a web class using a
 * feature, even through its entry point. Never instantiated or called.
 */
public final class UsesAFeature {

  private UsesAFeature() {}

  public static Object leak(MoneyPolicy policy) {
    return policy;
  }
}
