package dev.hourglass.timers.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a {@code POST /timers} body as the original service does: {@code hours} an integer
 * ≥ 0, {@code minutes} and {@code seconds} integers 0–59 (all three default to 0), {@code url} an
 * absolute http or https URL. Every problem becomes one message that starts with the field's
 * name; all of them are reported at once.
 */
final class TimerRequestValidator {
  /** 100 years: a bound so that no deadline overflows a timer's duration on any server. */
  static final int MAX_HOURS = 876_000;

  /** A valid request: the delay and the webhook's base URL. */
  record ValidTimerRequest(Duration delay, String url) {}

  private TimerRequestValidator() {}

  /** @throws TimerApiException 400 listing every problem */
  static ValidTimerRequest validate(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new TimerApiException(ApiError.validation(List.of("body must be a JSON object")));
    }
    List<String> errors = new ArrayList<>();
    int hours = integer(body, "hours", 0, MAX_HOURS, errors);
    int minutes = integer(body, "minutes", 0, 59, errors);
    int seconds = integer(body, "seconds", 0, 59, errors);
    String url = url(body.get("url"), errors);
    if (!errors.isEmpty()) {
      throw new TimerApiException(ApiError.validation(errors));
    }
    return new ValidTimerRequest(Duration.ofHours(hours).plusMinutes(minutes).plusSeconds(seconds), url);
  }

  private static int integer(JsonNode body, String field, int min, int max, List<String> errors) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return 0;
    }
    // 2.0 is an integer (as in JavaScript, where the original ran); "2" and 2.5 are not.
    if (!node.isNumber() || !node.canConvertToExactIntegral()) {
      errors.add(field + " must be an integer number");
      return 0;
    }
    if (node.decimalValue().compareTo(java.math.BigDecimal.valueOf(min)) < 0) {
      errors.add(field + " must not be less than " + min);
      return 0;
    }
    if (node.decimalValue().compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
      errors.add(field + " must not be greater than " + max);
      return 0;
    }
    return node.decimalValue().intValueExact();
  }

  private static String url(JsonNode node, List<String> errors) {
    if (node == null || node.isNull()) {
      errors.add("url should not be empty");
      return null;
    }
    if (!node.isTextual()) {
      errors.add("url must be a string");
      return null;
    }
    String url = node.textValue().trim();
    if (url.isEmpty()) {
      errors.add("url should not be empty");
      return null;
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      errors.add("url must be an absolute http or https URL (" + e.getReason() + ")");
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      errors.add("url must be an absolute http or https URL");
      return null;
    }
    if (uri.getRawFragment() != null) {
      // url + "/" + id would land in the fragment, which is never sent.
      errors.add("url must not have a fragment (#...)");
      return null;
    }
    return url;
  }
}
