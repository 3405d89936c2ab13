package io.paystream.messaging.webhook;

import io.paystream.domain.MoneyEvent;
import java.util.List;
import java.util.Set;

/**
 * The events a webhook may subscribe to: the contract's event names, or a family ("transfer.*").
 */
public final class WebhookEvents {

  public static final Set<String> PUBLIC = MoneyEvent.PUBLIC_TYPES;

  public static final Set<String> FAMILIES =
      Set.of("transfer.*", "withdrawal.*", "deposit.*", "hold.*");

  /** More subscriptions than names would only be duplicates. */
  public static final int SUBSCRIPTIONS_MAX = PUBLIC.size() + FAMILIES.size();

  private WebhookEvents() {}

  public static boolean isSubscribable(String name) {
    return PUBLIC.contains(name) || FAMILIES.contains(name);
  }

  public static boolean allSubscribable(List<String> names) {
    return names.stream().allMatch(WebhookEvents::isSubscribable);
  }
}
