package dev.hourglass.timers.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * {@code GET /timers/{id}}'s answer: the original's {@code id} and {@code time_left}, then what
 * its users asked for next.
 */
@JsonPropertyOrder({"id", "time_left", "status", "attempts", "last_error"})
@Schema(name = "Timer")
public record TimerView(
    @Schema(description = "The timer's id (uuid v4)", example = "3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b") String id,
    @JsonProperty("time_left") @Schema(description = "Whole seconds until the deadline, rounded up; 0 once expired, fired, failed or cancelled", example = "42")
    long timeLeft,
    @Schema(description = "scheduled, firing, fired, failed or cancelled", allowableValues = {"scheduled", "firing", "fired", "failed", "cancelled"})
    String status,
    @Schema(description = "Webhook calls made so far") int attempts,
    @JsonProperty("last_error") @JsonInclude(JsonInclude.Include.ALWAYS) @Schema(description = "Why the last failed call failed, or null", nullable = true)
    String lastError) {}
