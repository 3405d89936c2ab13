package io.paystream.domain;

import java.util.Objects;

/**
 * Why a request was refused before anything moved: the stable {@link Rejection}, the name of the
 * breached limit when a limit refused it, and a detail for the client. The rules return it as a
 * value; {@link RejectedException} carries one out of a reactive chain, and the api module maps it
 * to problem+json in one place. No caller reconstructs a limit's name or a detail.
 *
 * @param limit the breached limit's stable name ({@code per_transfer_max}, ...), or null
 * @param leg the index of the transfer that refused an all-or-none batch, or null
 */
public record Refusal(Rejection rejection, String limit, String detail, Integer leg) {

  public Refusal {
    Objects.requireNonNull(rejection, "rejection");
    Objects.requireNonNull(detail, "detail");
  }

  public static Refusal of(Rejection rejection, String detail) {
    return new Refusal(rejection, null, detail, null);
  }

  public Refusal(Rejection rejection, String limit, String detail) {
    this(rejection, limit, detail, null);
  }

  /** This refusal as the refusal of a whole batch, by its transfer at {@code index}. */
  public Refusal atLeg(int index) {
    return new Refusal(rejection, limit, "transfer " + index + ": " + detail, index);
  }

  /** This refusal as an exception, for a reactive chain that must end in an error. */
  public RejectedException exception() {
    return new RejectedException(this);
  }
}
