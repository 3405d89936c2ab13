package io.paystream.domain;

import java.util.Objects;

/**
 * Why a request was refused before anything moved: the stable {@link Rejection}, the name of the
 * breached limit when a limit refused it, and a detail for the client. The rules return it as a
 * value; {@link RejectedException} carries one out of a reactive chain, and the api module maps it
 * to problem+json in one place. No caller reconstructs a limit's name or a detail.
 *
 * @param limit the breached limit's stable name ({@code per_transfer_max}, ...), or null
 */
public record Refusal(Rejection rejection, String limit, String detail) {

  public Refusal {
    Objects.requireNonNull(rejection, "rejection");
    Objects.requireNonNull(detail, "detail");
  }

  public static Refusal of(Rejection rejection, String detail) {
    return new Refusal(rejection, null, detail);
  }

  /** This refusal as an exception, for a reactive chain that must end in an error. */
  public RejectedException exception() {
    return new RejectedException(this);
  }
}
