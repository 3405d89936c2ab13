package io.paystream.persistence;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Wires the stores. Every store joins the caller's reactive transaction when there is one. */
@Configuration(proxyBeanMethods = false)
@ComponentScan
public class PersistenceConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  @ConditionalOnMissingBean
  public TransactionalOperator transactionalOperator(ReactiveTransactionManager transactions) {
    return TransactionalOperator.create(transactions);
  }
}
