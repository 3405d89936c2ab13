package io.paystream.api.platform;

import java.time.Duration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.stereotype.Component;

/**
 * Refuses to start with a pool that could make a request wait for ever: Spring Boot's pool waits
 * without limit for a free connection and for a new one unless {@code
 * spring.r2dbc.pool.max-acquire-time} and {@code max-create-connection-time} are set (both are, in
 * application.yml, with the reason for each value).
 */
@Component
public class DatabasePoolLimits {

  /** A pool wait longer than this is a hang, whatever the configuration says. */
  static final Duration WAIT_MAX = Duration.ofSeconds(60);

  public DatabasePoolLimits(R2dbcProperties r2dbc) {
    check(r2dbc.getPool());
  }

  static void check(R2dbcProperties.Pool pool) {
    checkWait("spring.r2dbc.pool.max-acquire-time", pool.getMaxAcquireTime());
    checkWait("spring.r2dbc.pool.max-create-connection-time", pool.getMaxCreateConnectionTime());
  }

  private static void checkWait(String property, Duration wait) {
    if (wait == null || wait.isNegative() || wait.isZero() || wait.compareTo(WAIT_MAX) > 0) {
      throw new IllegalArgumentException(
          property + " must be set, between 1 ms and " + WAIT_MAX.toSeconds() + " s, was " + wait);
    }
  }
}
