package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The token a Nexus handler gets with a task and sends back with its answer: the calling run, the
 * operation (its scheduled event id), the attempt of the request and whether it is the cancel
 * request, so that an answer to an attempt that has since timed out or been retried is ignored.
 */
record NexusTaskToken(ExecutionKey caller, long scheduledEventId, int attempt, boolean cancel) {
  /** Distinct from {@link TaskToken}'s version, so one kind of token is never taken for the other. */
  private static final byte VERSION = 2;

  NexusTaskToken {
    requireNonNull(caller, "caller is null");
  }

  ByteString encode() {
    return ByteString.copyFrom(write(VERSION, caller, out -> {
      out.writeLong(scheduledEventId);
      out.writeInt(attempt);
      out.writeBoolean(cancel);
    }));
  }

  /** What follows the version and the execution in an encoding. */
  interface Fields {
    void write(DataOutputStream out) throws IOException;
  }

  /** The encoding shared with {@link NexusOperationRef}: a version byte, the execution, then the rest. */
  static byte[] write(byte version, ExecutionKey execution, Fields rest) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(version);
      out.writeUTF(execution.namespaceId());
      out.writeUTF(execution.workflowId());
      out.writeUTF(execution.runId());
      rest.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static ExecutionKey readExecution(DataInputStream in) throws IOException {
    return new ExecutionKey(in.readUTF(), in.readUTF(), in.readUTF());
  }

  static NexusTaskToken decode(ByteString token) {
    if (token.isEmpty()) {
      throw new InvalidArgumentException("Task token not set on request.");
    }
    try (DataInputStream in = new DataInputStream(token.newInput())) {
      if (in.readByte() != VERSION) {
        throw new InvalidArgumentException("Error deserializing task token: not a Nexus task token.");
      }
      NexusTaskToken decoded = new NexusTaskToken(readExecution(in), in.readLong(), in.readInt(),
          in.readBoolean());
      if (in.available() > 0) {
        throw new InvalidArgumentException("Error deserializing task token: trailing bytes.");
      }
      return decoded;
    } catch (IOException e) {
      throw new InvalidArgumentException("Error deserializing task token: " + e.getMessage());
    }
  }
}
