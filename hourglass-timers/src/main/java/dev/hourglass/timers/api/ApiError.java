package dev.hourglass.timers.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * An error body in the original service's (NestJS) shape: {@code statusCode}, {@code message}
 * (one string, or a list of strings for validation errors, each naming its field) and, for most
 * errors, the status's reason phrase as {@code error}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"statusCode", "message", "error"})
@Schema(name = "Error")
public record ApiError(
    @Schema(example = "400") int statusCode,
    @Schema(description = "A message, or a list of messages (validation errors), each naming its field",
        oneOf = {String.class, String[].class}, example = "[\"minutes must not be greater than 59\"]") Object message,
    @Schema(example = "Bad Request") String error) {

  static ApiError of(int statusCode, String message, String error) {
    return new ApiError(statusCode, message, error);
  }

  static ApiError validation(List<String> messages) {
    return new ApiError(400, List.copyOf(messages), "Bad Request");
  }
}
