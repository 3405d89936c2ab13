package io.paystream.messaging.credit;

/** A message that no retry can make applicable; it goes to the dead-letter topic at once. */
public class PoisonMessageException extends RuntimeException {

  public PoisonMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
