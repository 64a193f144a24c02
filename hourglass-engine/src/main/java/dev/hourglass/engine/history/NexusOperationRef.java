package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ExecutionKey;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

/**
 * Names one Nexus operation of a calling run: the run, the scheduled event and its request id (so a
 * reference outliving a reset or a reused event id finds nothing). It travels as a callback header
 * to the handler, which copies it onto the workflow it starts; that workflow's close brings it back.
 */
record NexusOperationRef(ExecutionKey caller, long scheduledEventId, String requestId) {
  private static final byte VERSION = 1;

  NexusOperationRef {
    requireNonNull(caller, "caller is null");
    requireNonNull(requestId, "requestId is null");
  }

  String encode() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(NexusTaskToken.write(VERSION, caller, out -> {
      out.writeLong(scheduledEventId);
      out.writeUTF(requestId);
    }));
  }

  /** Empty when the value is not a reference this server wrote (a callback for someone else). */
  static Optional<NexusOperationRef> decode(String value) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(Base64.getUrlDecoder().decode(value)))) {
      if (in.readByte() != VERSION) {
        return Optional.empty();
      }
      return Optional.of(new NexusOperationRef(NexusTaskToken.readExecution(in), in.readLong(), in.readUTF()));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
