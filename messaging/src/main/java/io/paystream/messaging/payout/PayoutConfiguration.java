package io.paystream.messaging.payout;

import io.micrometer.core.instrument.MeterRegistry;
import io.paystream.messaging.MessagingProperties;
import io.paystream.persistence.outbox.InboxStore;
import io.paystream.persistence.withdrawal.WithdrawalStore;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.kafka.sender.KafkaSender;
import tools.jackson.databind.json.JsonMapper;

/** The payout leg: the provider client behind Resilience4j, the consumer and the recovery sweep. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PayoutProperties.class)
public class PayoutConfiguration {

  /** Fails start-up without a key: destinations must never be stored in clear. */
  @Bean
  public DestinationCipher destinationCipher(PayoutProperties properties) {
    return DestinationCipher.fromBase64(properties.destinationKey());
  }

  @Bean
  public PayoutGateway payoutGateway(PayoutProperties properties, JsonMapper json) {
    return new PayoutGateway(new PayoutProviderClient(properties.baseUrl(),
        properties.connectTimeoutMillis(), json), properties);
  }

  @Bean
  public Payouts payouts(WithdrawalStore withdrawals, PayoutGateway gateway,
      DestinationCipher cipher) {
    return new Payouts(withdrawals, gateway, cipher);
  }

  @Bean
  public PayoutLeg payoutLeg(InboxStore inbox, WithdrawalStore withdrawals, Payouts payouts,
      TransactionalOperator transaction, JsonMapper json, Clock clock) {
    return new PayoutLeg(inbox, withdrawals, payouts, transaction, json, clock);
  }

  @Bean
  public PayoutLegConsumer payoutLegConsumer(PayoutLeg leg, KafkaSender<String, String> sender,
      MessagingProperties messaging, PayoutProperties payout, MeterRegistry meters) {
    return new PayoutLegConsumer(leg, sender, messaging, payout, meters);
  }

  @Bean
  public PayoutRecovery payoutRecovery(WithdrawalStore withdrawals, Payouts payouts,
      PayoutGateway gateway, PayoutProperties properties, Clock clock) {
    return new PayoutRecovery(withdrawals, payouts, gateway, properties, clock);
  }
}
