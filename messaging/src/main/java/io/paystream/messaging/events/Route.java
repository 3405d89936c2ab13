package io.paystream.messaging.events;

import io.paystream.persistence.events.EventLogRow;
import java.util.Objects;
import java.util.UUID;

/**
 * What one live subscriber watches: every event (an operator's stream), the events of one account
 * (either party of a transfer), or those of one resource (a transfer, deposit or withdrawal). A
 * closed set, so that {@link EventFeed} can index its subscribers by it and fan a row out to the
 * few that match instead of testing every open stream.
 */
public record Route(Kind kind, UUID id) {

  /** The three kinds of stream the contract has. */
  public enum Kind {
    EVERYTHING,
    ACCOUNT,
    RESOURCE
  }

  private static final Route EVERYTHING = new Route(Kind.EVERYTHING, null);

  public Route {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.EVERYTHING) != (id == null)) {
      throw new IllegalArgumentException(
          "a " + kind + " route " + (id == null ? "needs" : "has no") + " id");
    }
  }

  public static Route everything() {
    return EVERYTHING;
  }

  public static Route account(UUID accountId) {
    return new Route(Kind.ACCOUNT, Objects.requireNonNull(accountId, "accountId"));
  }

  public static Route resource(UUID resourceId) {
    return new Route(Kind.RESOURCE, Objects.requireNonNull(resourceId, "resourceId"));
  }

  /** Whether a subscriber on this route gets the row; the index must agree with it. */
  public boolean matches(EventLogRow row) {
    return switch (kind) {
      case EVERYTHING -> true;
      case ACCOUNT -> row.concernsAccount(id);
      case RESOURCE -> id.equals(row.resourceId());
    };
  }
}
