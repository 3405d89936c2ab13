package io.paystream.messaging.events;

import io.paystream.persistence.events.EventLogRow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
 */
final class RecentWindow {

  private final EventLogRow[] rows;
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
      coveredAfter = rows[oldest].seq();
      rows[oldest] = null;
      oldest = (oldest + 1) % rows.length;
      size--;
    }
    rows[(oldest + size) % rows.length] = row;
    size++;
  }

  /**
   * The rows after {@code position} on {@code route}, oldest first; null when this window does not
   * hold every row after {@code position} (the caller then asks PostgreSQL).
   */
  synchronized List<EventLogRow> after(long position, Route route) {
    if (position < coveredAfter) {
      return null;
    }
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
