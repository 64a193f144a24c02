package dev.hourglass.timers.api;

import static java.util.Objects.requireNonNull;

import org.springframework.http.HttpStatus;

/** An answer other than success, with the body to send. */
final class TimerApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient ApiError body;

  TimerApiException(ApiError body) {
    super(String.valueOf(requireNonNull(body, "body is null").message()));
    this.body = body;
  }

  static TimerApiException notFound() {
    // Exactly the original's body: no "error" field.
    return new TimerApiException(new ApiError(404, "Timer not found", null));
  }

  static TimerApiException badRequest(String message) {
    return new TimerApiException(ApiError.of(400, message, "Bad Request"));
  }

  static TimerApiException conflict(String message) {
    return new TimerApiException(ApiError.of(409, message, "Conflict"));
  }

  static TimerApiException of(HttpStatus status, String message) {
    return new TimerApiException(ApiError.of(status.value(), message, status.getReasonPhrase()));
  }

  ApiError body() {
    return body;
  }

  HttpStatus status() {
    return HttpStatus.valueOf(body.statusCode());
  }
}
