package io.paystream.api.web;

import reactor.core.publisher.Mono;

/**
 * Database work an HTTP request started runs to its end, whatever the client does meanwhile.
 *
 * <p>When a client disconnects, WebFlux cancels the request's pipeline. Cancelling a reactive
 * transaction rolls it back concurrently with the statement in flight, and a statement already
 * handed to the driver can then run after the ROLLBACK, outside any transaction, and commit on its
 * own: a side-by-side run left a PENDING transfer with no debit, journal or outbox row after wrk
 * closed its connections mid-request. Detached from the subscriber's cancellation, the transaction
 * commits or rolls back as a whole; a client that went away retries with its Idempotency-Key and
 * gets the stored answer.
 */
public final class RunToCompletion {

  private RunToCompletion() {}

  /**
   * Subscribes {@code work} at once when the result is subscribed, with the subscriber's context,
   * and never cancels it; the result still ends when the subscriber cancels.
   */
  public static <T> Mono<T> of(Mono<T> work) {
    return Mono.deferContextual(
        context -> Mono.fromFuture(() -> work.contextWrite(context).toFuture(), true));
  }
}
