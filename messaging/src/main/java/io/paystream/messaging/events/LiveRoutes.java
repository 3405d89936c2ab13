package io.paystream.messaging.events;

import io.paystream.persistence.events.EventLogRow;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's live subscribers, indexed by {@link Route}. Fanning a row out costs the
 * subscribers that match it (a transfer event: its two accounts' streams, its own stream, the
 * operators' streams), not one test per open stream: with 10,000 streams open, a multicast sink
 * with a filter per subscriber spent the poller's whole thread on 10,000 tests per event and
 * delivery fell seconds behind at 50 transfers/s.
 *
 * <p>Adding and removing are rare next to publishing, so each route's subscribers are a
 * copy-on-write list: publishing iterates without locks, and a subscriber added while a row is
 * being fanned out may or may not get that row. {@link EventFeed} relies on no more than that: a
 * row fanned out before the subscriber existed is in its replay.
 */
final class LiveRoutes {

  private static final Logger log = LoggerFactory.getLogger(LiveRoutes.class);

  private final List<Consumer<EventLogRow>> everything = new CopyOnWriteArrayList<>();
  private final Map<UUID, List<Consumer<EventLogRow>>> byAccount = new ConcurrentHashMap<>();
  private final Map<UUID, List<Consumer<EventLogRow>>> byResource = new ConcurrentHashMap<>();

  /** Registers {@code listener} on {@code route}; the returned action unregisters it. */
  Runnable add(Route route, Consumer<EventLogRow> listener) {
    switch (route.kind()) {
      case EVERYTHING -> {
        everything.add(listener);
        return () -> everything.remove(listener);
      }
      case ACCOUNT -> {
        return add(byAccount, route.id(), listener);
      }
      case RESOURCE -> {
        return add(byResource, route.id(), listener);
      }
      default -> throw new IllegalStateException("unknown route kind " + route.kind());
    }
  }

  private static Runnable add(
      Map<UUID, List<Consumer<EventLogRow>>> index, UUID id, Consumer<EventLogRow> listener) {
    // compute/computeIfPresent are atomic per key: a concurrent removal that empties the list
    // cannot drop it while this listener is being added to it.
    index.compute(
        id,
        (key, listeners) -> {
          List<Consumer<EventLogRow>> list =
              listeners == null ? new CopyOnWriteArrayList<>() : listeners;
          list.add(listener);
          return list;
        });
    return () ->
        index.computeIfPresent(
            id,
            (key, listeners) -> {
              listeners.remove(listener);
              return listeners.isEmpty() ? null : listeners;
            });
  }

  /** Hands {@code row} to every subscriber whose route matches it, each once. */
  void publish(EventLogRow row) {
    deliver(everything, row);
    deliver(byResource.get(row.resourceId()), row);
    UUID first = row.accountId();
    UUID second = row.otherAccountId();
    if (first != null) {
      deliver(byAccount.get(first), row);
    }
    if (second != null && !second.equals(first)) {
      deliver(byAccount.get(second), row);
    }
  }

  /** Open subscriptions, for tests and diagnostics. */
  int size() {
    return everything.size()
        + byAccount.values().stream().mapToInt(List::size).sum()
        + byResource.values().stream().mapToInt(List::size).sum();
  }

  private static void deliver(List<Consumer<EventLogRow>> listeners, EventLogRow row) {
    if (listeners == null) {
      return;
    }
    for (Consumer<EventLogRow> listener : listeners) {
      try {
        listener.accept(row);
      } catch (RuntimeException bug) {
        // One broken subscriber must not stop the fan-out to every later one.
        log.warn("live subscriber failed on event {}: {}", row.seq(), bug.toString());
      }
    }
  }
}
