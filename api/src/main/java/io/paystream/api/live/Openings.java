package io.paystream.api.live;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * How many stream requests one instance answers at once ({@code paystream.live.openings-max}); the
 * others wait their turn, first come first served, before any of the WebFlux chain runs for them.
 *
 * <p>A reconnect storm is thousands of stream requests arriving within a second, each costing the
 * chain's work (security, rate limits, the controller: about 0.3 ms of CPU when they come in large
 * batches). Let in all at once, they queue on the event loops ahead of everything else, and a
 * payment arriving meanwhile waits behind many of them. Let in a few at a time, the payment waits
 * behind those few, but the storm costs more CPU and lasts longer: the requests' socket reads and
 * Redis commands come in smaller batches (docs/benchmarks, eleventh pass).
 */
final class Openings {

  /** A request waiting for its turn. */
  interface Opening {

    /**
     * Its turn has come, after waiting: it now holds a place, and must {@link #leave} once
     * answered. Called from whichever thread gave the place up, inside that request's own signals:
     * the request must start on a thread of its own, not from this call.
     */
    void enter();

    /** Gone while waiting (the client closed its connection): skipped, holding no place. */
    boolean isClosed();
  }

  private final int max;

  // Guarded by this.
  private final Queue<Opening> waiting = new ArrayDeque<>();
  private int inside;

  /**
   * @param max at least 1 ({@link LiveProperties} checks it)
   */
  Openings(int max) {
    this.max = max;
  }

  /**
   * True when a place is free: {@code opening} holds it now and goes on. Else it waits, and is told
   * to {@link Opening#enter} when a place is given up.
   */
  synchronized boolean arrive(Opening opening) {
    if (inside >= max) {
      waiting.add(opening);
      return false;
    }
    inside++;
    return true;
  }

  /** A place held is given up: the first of the waiting still open enters in its stead. */
  void leave() {
    Opening next;
    synchronized (this) {
      do {
        next = waiting.poll();
      } while (next != null && next.isClosed());
      if (next == null) {
        inside--;
        return;
      }
    }
    next.enter();
  }

  /** Requests answered now, for tests. */
  synchronized int inside() {
    return inside;
  }

  /** Requests waiting now, closed ones not yet skipped included. */
  synchronized int waiting() {
    return waiting.size();
  }
}
