package io.paystream.api;

import io.paystream.api.platform.BlockingCallDetection;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Paystream API: one executable jar, configured by standard Spring Boot properties. */
@SpringBootApplication(scanBasePackages = "io.paystream")
@ConfigurationPropertiesScan("io.paystream")
public class PaystreamApplication {

  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(PaystreamApplication.class);
    application.addListeners(new BlockingCallDetection());
    application.run(args);
  }
}
