package io.paystream.api.web;

import org.springframework.boot.jackson.autoconfigure.JsonFactoryBuilderCustomizer;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.type.LogicalType;

/**
 * Strict JSON for money: {@code "12"} and {@code 12.0} are not amounts, unknown properties are
 * errors rather than silently dropped, and a hostile document cannot nest or stretch without limit.
 */
@Configuration(proxyBeanMethods = false)
public class JsonConfiguration {

  /** Our documents nest three levels; 32 leaves room for clients and stops stack-exhaustion. */
  static final int NESTING_DEPTH_MAX = 32;

  /** No field of the contract needs more than a few hundred characters. */
  static final int STRING_LENGTH_MAX = 16 * 1024;

  @Bean
  JsonMapperBuilderCustomizer strictMoneyJson() {
    return builder ->
        builder
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .withCoercionConfigDefaults(
                config ->
                    config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            // A number where text belongs ("description": 5) is a client bug, not a string.
            .withCoercionConfig(
                LogicalType.Textual,
                config ->
                    config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }

  @Bean
  JsonFactoryBuilderCustomizer boundedJsonDocuments() {
    return builder ->
        builder.streamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(NESTING_DEPTH_MAX)
                .maxStringLength(STRING_LENGTH_MAX)
                .build());
  }
}
