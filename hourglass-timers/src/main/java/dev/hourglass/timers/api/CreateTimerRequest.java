package dev.hourglass.timers.api;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * {@code POST /timers}'s body, for the OpenAPI description. The controller reads the raw JSON and
 * validates it with {@link TimerRequestValidator}, so that a string or a fraction where an integer
 * belongs is an error naming the field rather than silently coerced.
 */
@Schema(name = "CreateTimerRequest", description = "When to call which webhook: after hours + minutes + seconds")
public record CreateTimerRequest(
    @Schema(description = "Hours from now, 0 or more", minimum = "0", maximum = "876000", defaultValue = "0", example = "0") Integer hours,
    @Schema(description = "Minutes, 0 to 59", minimum = "0", maximum = "59", defaultValue = "0", example = "0") Integer minutes,
    @Schema(description = "Seconds, 0 to 59", minimum = "0", maximum = "59", defaultValue = "0", example = "10") Integer seconds,
    @Schema(description = "Absolute http(s) URL; the service POSTs an empty body to url + \"/\" + id",
        requiredMode = Schema.RequiredMode.REQUIRED, example = "https://example.com/hooks") String url) {}
