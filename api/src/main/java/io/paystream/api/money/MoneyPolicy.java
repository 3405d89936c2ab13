package io.paystream.api.money;

import io.paystream.api.ApiProperties;
import io.paystream.domain.CurrencyCodes;
import io.paystream.domain.TransferLimits;
import java.util.Currency;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The configured transfer limits, parsed once from {@link ApiProperties}. */
@Component
public class MoneyPolicy {

  private final TransferLimits limits;

  public MoneyPolicy(ApiProperties properties) {
    this.limits =
        new TransferLimits(
            parse(properties.transferMaxMinorUnits()),
            parse(properties.dailyOutgoingMaxMinorUnits()),
            parse(properties.velocityPerMinuteMax()));
  }

  public TransferLimits limits() {
    return limits;
  }

  private static <T> Map<Currency, T> parse(Map<String, T> byCode) {
    Map<Currency, T> parsed = new HashMap<>();
    byCode.forEach(
        (code, max) ->
            parsed.put(CurrencyCodes.parse(code.toUpperCase(java.util.Locale.ROOT)), max));
    return parsed;
  }
}
