package io.paystream.messaging.events;

import io.paystream.persistence.events.EventLogRow;
import java.time.Instant;
import java.util.UUID;

/** Event-log rows for the feed's tests: a position and the ids a route matches on. */
final class EventRows {

  private EventRows() {}

  /** A row of one account, of a resource of its own. */
  static EventLogRow row(long seq) {
    return row(seq, UUID.randomUUID(), UUID.randomUUID(), null);
  }

  static EventLogRow row(long seq, UUID resource, UUID account, UUID otherAccount) {
    return new EventLogRow(
        seq,
        UUID.randomUUID(),
        "transfer.pending",
        resource,
        account,
        otherAccount,
        "{}",
        Instant.now());
  }
}
