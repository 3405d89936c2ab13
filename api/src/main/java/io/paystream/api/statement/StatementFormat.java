package io.paystream.api.statement;

import io.paystream.api.web.ApiException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;

/** The formats a statement is rendered in; the query parameter names them in lower case. */
public enum StatementFormat {
  PDF("pdf", MediaType.APPLICATION_PDF),
  CSV("csv", new MediaType("text", "csv", StandardCharsets.UTF_8));

  private final String parameter;
  private final MediaType mediaType;

  StatementFormat(String parameter, MediaType mediaType) {
    this.parameter = parameter;
    this.mediaType = mediaType;
  }

  /** {@code pdf} or {@code csv}, as in the query string and the file name. */
  public String parameter() {
    return parameter;
  }

  public MediaType mediaType() {
    return mediaType;
  }

  /** Null means the contract's default, PDF; anything else unknown is a 400. */
  static StatementFormat ofParameter(String value) {
    if (value == null) {
      return PDF;
    }
    StatementFormat format = fromParameter(value);
    if (format == null) {
      throw ApiException.invalid("format", "must be pdf or csv");
    }
    return format;
  }

  /** The format named exactly by {@code value}, or null. */
  static StatementFormat fromParameter(String value) {
    for (StatementFormat format : values()) {
      if (format.parameter.equals(value)) {
        return format;
      }
    }
    return null;
  }
}
