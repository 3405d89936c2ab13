package io.paystream.api;

import io.netty.util.ResourceLeakDetector;
import io.paystream.api.platform.BlockingCallDetection;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Paystream API: one executable jar, configured by standard Spring Boot properties. */
@SpringBootApplication(scanBasePackages = "io.paystream")
@ConfigurationPropertiesScan("io.paystream")
public class PaystreamApplication {

  public static void main(String[] args) {
    // Netty's leak detector samples 1 buffer in 128 by default, about 1 % of the API's CPU in the
    // profile, and only tests read its reports (they do not start through main). An explicit
    // -Dio.netty.leakDetection.level still wins.
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
    SpringApplication application = new SpringApplication(PaystreamApplication.class);
    application.addListeners(new BlockingCallDetection());
    application.run(args);
  }
}
