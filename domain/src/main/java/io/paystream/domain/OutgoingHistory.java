package io.paystream.domain;

/**
 * What one account has sent recently, as the daily and velocity limits need it: the total of its
 * outgoing payments (transfers and withdrawals, failed ones excluded) since the start of the UTC
 * day, and how many it sent within the last {@link TransferLimits#VELOCITY_WINDOW_SECONDS}. Only
 * stable while the account's row is locked.
 *
 * @param sentToday minor units sent since the start of the UTC day
 * @param sentInWindow payments sent within the velocity window
 */
public record OutgoingHistory(long sentToday, long sentInWindow) {

  public static final OutgoingHistory NONE = new OutgoingHistory(0, 0);

  public OutgoingHistory {
    if (sentToday < 0 || sentInWindow < 0) {
      throw new IllegalArgumentException(
          "outgoing history cannot be negative: " + sentToday + ", " + sentInWindow);
    }
  }

  /** The history after one more payment of {@code amount}. */
  public OutgoingHistory plus(Money amount) {
    return new OutgoingHistory(
        Math.addExact(sentToday, amount.minorUnits()), Math.addExact(sentInWindow, 1));
  }
}
