package io.paystream.persistence.testing;

import io.paystream.persistence.PersistenceConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** The persistence module alone: R2DBC, Flyway and the stores, against the test database. */
@SpringBootApplication(scanBasePackages = "io.paystream.persistence.testing.none")
@Import(PersistenceConfiguration.class)
public class PersistenceTestApplication {}
