package io.paystream.persistence.metadata;

import io.paystream.domain.Metadata;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link Metadata} as the {@code metadata jsonb} columns hold it (V12): written as JSON text and
 * cast to jsonb in the statement, read back as {@code metadata::text}.
 */
public final class MetadataJson {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final TypeReference<Map<String, String>> PAIRS = new TypeReference<>() {};

  private MetadataJson() {}

  /** The JSON object of {@code metadata}, keys sorted; {@code {}} for none. */
  public static String write(Metadata metadata) {
    return metadata.isEmpty() ? "{}" : JSON.writeValueAsString(metadata.asMap());
  }

  /** The metadata a column holds; none for null (a row read without the column). */
  public static Metadata read(String json) {
    return json == null || json.equals("{}")
        ? Metadata.NONE
        : Metadata.of(JSON.readValue(json, PAIRS));
  }
}
