package io.paystream.messaging.kafka;

import io.paystream.messaging.events.NewEvents;

/**
 * Breaks {@code MessagingArchitectureTest}'s shared-plumbing rule on purpose: a kafka class using a
 * feature, even through its entry point. Never instantiated or called.
 */
public final class UsesAFeature {

  private UsesAFeature() {}

  public static Object leak(NewEvents events) {
    return events;
  }
}
