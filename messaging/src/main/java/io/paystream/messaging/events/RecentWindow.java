package io.paystream.messaging.events;

import io.paystream.persistence.events.EventLogRow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The last rows this instance fanned out, in position order, so that a client resuming with a
 * recent Last-Event-ID is answered from memory instead of each running its own query for the same
 * rows (a reconnect storm resumes thousands of streams at once, all a few seconds behind).
 *
 * <p>It knows which positions it covers: every row after {@link #coveredAfter} that the log holds
 * is here, because it starts with the log's latest rows and the one poller then appends each row it
 * publishes, in order, before fanning it out. A replay from a position it does not cover (older
 * than its oldest row) goes to PostgreSQL as before. Bounded by a number of rows; the oldest is
 * dropped first. Thread-safe: one writer (the poller), many readers (subscribers resuming), each
 * under the same short lock.
 *
 * <p>The rows are also indexed by account and by resource, so that an account's or a transfer's
 * resume reads its own rows, not every row since its position: a quiet account resumes from an
 * event thousands of rows back, and a storm's 10 000 such scans, under the lock the poller needs
 * too, took 6 % of the API's CPU and held up delivery (docs/benchmarks, eleventh pass).
 */
final class RecentWindow {

  private final EventLogRow[] rows;
  private final Map<UUID, ArrayDeque<EventLogRow>> byAccount = new HashMap<>();
  private final Map<UUID, ArrayDeque<EventLogRow>> byResource = new HashMap<>();
  private int oldest;
  private int size;
  private long coveredAfter = Long.MAX_VALUE;

  RecentWindow(int capacity) {
    rows = new EventLogRow[Math.max(capacity, 0)];
  }

  /**
   * At start: {@code recent}, every row the log holds after {@code position} (oldest first, at most
   * the capacity), so that resumes right after this instance starts (a restart's reconnect storm)
   * are answered from memory too. The poller then appends every row after the last of them.
   */
  synchronized void startWith(long position, List<EventLogRow> recent) {
    if (rows.length == 0 || coveredAfter != Long.MAX_VALUE) {
      return;
    }
    coveredAfter = position;
    for (EventLogRow row : recent) {
      append(row);
    }
  }

  /** The most rows this window holds. */
  int capacity() {
    return rows.length;
  }

  /** The poller's row, newer than every row here. */
  synchronized void append(EventLogRow row) {
    if (rows.length == 0) {
      return;
    }
    if (size == rows.length) {
      EventLogRow dropped = rows[oldest];
      coveredAfter = dropped.seq();
      forget(dropped);
      rows[oldest] = null;
      oldest = (oldest + 1) % rows.length;
      size--;
    }
    rows[(oldest + size) % rows.length] = row;
    size++;
    index(byResource, row.resourceId(), row);
    for (UUID account : accounts(row)) {
      index(byAccount, account, row);
    }
  }

  /** The oldest row leaves: it is the first of each of its lists. */
  private void forget(EventLogRow row) {
    unindex(byResource, row.resourceId());
    for (UUID account : accounts(row)) {
      unindex(byAccount, account);
    }
  }

  /** The accounts a row concerns, each once (a transfer between one's own accounts has two). */
  private static List<UUID> accounts(EventLogRow row) {
    UUID first = row.accountId();
    UUID second = row.otherAccountId();
    if (first == null) {
      return second == null ? List.of() : List.of(second);
    }
    return second == null || second.equals(first) ? List.of(first) : List.of(first, second);
  }

  private static void index(Map<UUID, ArrayDeque<EventLogRow>> index, UUID key, EventLogRow row) {
    if (key != null) {
      index.computeIfAbsent(key, k -> new ArrayDeque<>(4)).addLast(row);
    }
  }

  private static void unindex(Map<UUID, ArrayDeque<EventLogRow>> index, UUID key) {
    if (key == null) {
      return;
    }
    ArrayDeque<EventLogRow> list = index.get(key);
    list.pollFirst();
    if (list.isEmpty()) {
      index.remove(key);
    }
  }

  /**
   * The rows after {@code position} on {@code route}, oldest first; null when this window does not
   * hold every row after {@code position} (the caller then asks PostgreSQL).
   */
  synchronized List<EventLogRow> after(long position, Route route) {
    if (position < coveredAfter) {
      return null;
    }
    return switch (route.kind()) {
      case ACCOUNT -> after(position, byAccount.get(route.id()));
      case RESOURCE -> after(position, byResource.get(route.id()));
      case EVERYTHING -> everythingAfter(position, route);
    };
  }

  /** The rows of one account's or resource's list after {@code position}, oldest first. */
  private static List<EventLogRow> after(long position, ArrayDeque<EventLogRow> list) {
    if (list == null) {
      return List.of();
    }
    List<EventLogRow> found = new ArrayList<>();
    for (Iterator<EventLogRow> newestFirst = list.descendingIterator(); newestFirst.hasNext(); ) {
      EventLogRow row = newestFirst.next();
      if (row.seq() <= position) {
        break;
      }
      found.add(row);
    }
    Collections.reverse(found);
    return found;
  }

  private List<EventLogRow> everythingAfter(long position, Route route) {
    List<EventLogRow> found = new ArrayList<>();
    // Newest first, stopping at the position: a resume a few seconds behind reads a few rows.
    for (int i = size - 1; i >= 0; i--) {
      EventLogRow row = rows[(oldest + i) % rows.length];
      if (row.seq() <= position) {
        break;
      }
      if (route.matches(row)) {
        found.add(row);
      }
    }
    Collections.reverse(found);
    return found;
  }

  synchronized int size() {
    return size;
  }
}
