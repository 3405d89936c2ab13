package io.paystream.persistence.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** Every database timeout is checked at start-up and a wrong one is named. */
class DatabasePropertiesTest {

  @Test
  void theDefaultsAreWithinTheirBounds() {
    DatabaseProperties defaults = new DatabaseProperties(3_000, 30_000, 2_000, true, 2_000);

    assertThat(defaults.statementTimeoutMillis()).isEqualTo(30_000);
  }

  @Test
  void aTimeoutOutOfItsRangeStopsStartUpNamingTheProperty() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new DatabaseProperties(0, 30_000, 2_000, true, 2_000))
        .withMessageContaining("paystream.database.connect-timeout-millis");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new DatabaseProperties(3_000, 30, 2_000, true, 2_000))
        .withMessageContaining("paystream.database.statement-timeout-millis");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new DatabaseProperties(3_000, 30_000, 2_000_000, true, 2_000))
        .withMessageContaining("paystream.database.host-recheck-millis");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new DatabaseProperties(3_000, 30_000, 2_000, true, 120_000))
        .withMessageContaining("paystream.database.readiness-timeout-millis");
  }
}
