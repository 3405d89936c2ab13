package io.paystream.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Paystream API: one executable jar, configured by standard Spring Boot properties. */
@SpringBootApplication(scanBasePackages = "io.paystream")
@ConfigurationPropertiesScan("io.paystream")
public class PaystreamApplication {

  public static void main(String[] args) {
    SpringApplication.run(PaystreamApplication.class, args);
  }
}
