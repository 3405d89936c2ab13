package io.paystream.api.ratelimit;

/** The request-rate limits, each a bucket per key (user, email or client address). */
public enum RateLimit {
  API_PER_USER("api_per_user"),
  MONEY_PER_USER("money_per_user"),
  LOGIN_PER_EMAIL("login_per_email"),
  LOGIN_PER_ADDRESS("login_per_address"),
  REGISTRATION_PER_EMAIL("registration_per_email"),
  REGISTRATION_PER_ADDRESS("registration_per_address"),
  REFRESH_PER_ADDRESS("refresh_per_address");

  private final String limitName;

  RateLimit(String limitName) {
    this.limitName = limitName;
  }

  /** Stable name, shown in the problem body ({@code limit}) and the audit trail. */
  public String limitName() {
    return limitName;
  }
}
