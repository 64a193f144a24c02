package dev.hourglass.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * The machine-readable result of a run: one JSON object on one line, keys in snake_case
 * ({@code p50_ms}), so that {@code bench/run.sh} and {@link ReportCommand} can pick it out of the
 * human-readable output by its leading {@code {}.
 */
final class JsonLine {
  private final ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  String write(Object result) {
    try {
      return mapper.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      // Results are records of strings and numbers; failing to write one is a bug here.
      throw new IllegalStateException("cannot write " + result.getClass().getSimpleName() + " as JSON", e);
    }
  }

  ObjectMapper mapper() {
    return mapper;
  }
}
