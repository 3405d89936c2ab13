package io.paystream.api.testing;

import io.paystream.tools.payoutsimulator.PayoutProviderSimulator;
import io.paystream.tools.payoutsimulator.PayoutProviderSimulator.Behaviour;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One payout provider simulator per test JVM, a real HTTP server on a random loopback port, started
 * on first use. Tests that change its behaviour put it back to healthy when they end.
 */
public final class TestPayoutProvider {

  private static volatile PayoutProviderSimulator simulator;

  private TestPayoutProvider() {}

  public static synchronized PayoutProviderSimulator get() {
    if (simulator == null) {
      PayoutProviderSimulator started =
          PayoutProviderSimulator.start("127.0.0.1", 0, Behaviour.HEALTHY);
      Runtime.getRuntime().addShutdownHook(new Thread(started::close));
      simulator = started;
    }
    return simulator;
  }

  public static void register(DynamicPropertyRegistry registry) {
    registry.add("paystream.payout.base-url", () -> get().baseUrl());
  }
}
