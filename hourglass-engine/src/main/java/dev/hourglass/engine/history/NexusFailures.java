package dev.hourglass.engine.history;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.ApplicationFailureInfo;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.NexusHandlerFailureInfo;
import io.temporal.api.nexus.v1.HandlerError;
import java.nio.charset.StandardCharsets;

/**
 * Nexus failures (the older wire format handlers answer with when they do not send Temporal
 * failures) turned into Temporal failures, as Temporal converts them: a Nexus failure that embeds a
 * Temporal failure as JSON is that failure; any other becomes an application failure of type
 * {@code NexusFailure} whose details carry the Nexus failure's metadata and details.
 */
final class NexusFailures {
  private static final String TEMPORAL_FAILURE_TYPE = Failure.getDescriptor().getFullName();

  private NexusFailures() {}

  static Failure fromNexus(io.temporal.api.nexus.v1.Failure nexus) {
    Failure.Builder failure = Failure.newBuilder();
    if (TEMPORAL_FAILURE_TYPE.equals(nexus.getMetadataMap().get("type"))) {
      try {
        JsonFormat.parser().ignoringUnknownFields().merge(nexus.getDetails().toStringUtf8(), failure);
      } catch (InvalidProtocolBufferException e) {
        failure.clear().setApplicationFailureInfo(nexusApplicationFailure(nexus));
      }
    } else {
      failure.setApplicationFailureInfo(nexusApplicationFailure(nexus));
    }
    failure.setMessage(nexus.getMessage());
    if (!nexus.getStackTrace().isEmpty()) {
      failure.setStackTrace(nexus.getStackTrace());
    }
    return failure.build();
  }

  private static ApplicationFailureInfo nexusApplicationFailure(io.temporal.api.nexus.v1.Failure nexus) {
    return ApplicationFailureInfo.newBuilder().setType("NexusFailure").setDetails(details(nexus)).setNonRetryable(true).build();
  }

  /** The Nexus failure's metadata and details as one payload. */
  static Payloads details(io.temporal.api.nexus.v1.Failure nexus) {
    Payload.Builder payload = Payload.newBuilder().setData(nexus.getDetails());
    nexus.getMetadataMap().forEach((key, value) -> payload.putMetadata(key, ByteString.copyFrom(value, StandardCharsets.UTF_8)));
    return Payloads.newBuilder().addPayloads(payload).build();
  }

  /** A handler error in the older format, as the failure the newer format sends. */
  static Failure fromHandlerError(HandlerError error) {
    return Failure.newBuilder()
        .setMessage(error.getFailure().getMessage())
        .setNexusHandlerFailureInfo(NexusHandlerFailureInfo.newBuilder().setType(error.getErrorType()).setRetryBehavior(error.getRetryBehavior()))
        .setCause(fromNexus(error.getFailure()))
        .build();
  }
}
