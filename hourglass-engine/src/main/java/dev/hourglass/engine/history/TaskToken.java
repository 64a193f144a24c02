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
 * The opaque token a worker gets with a task and sends back with its answer. It names the
 * execution, which task (workflow task id, or activity scheduled event id) and which attempt, so
 * an answer from an attempt that has since timed out is rejected instead of applied.
 *
 * @param workflowTask true for a workflow task, false for an activity task
 * @param id the workflow task's backlog task id, or the activity's scheduled event id
 */
record TaskToken(ExecutionKey execution, boolean workflowTask, long id, int attempt) {
  private static final byte VERSION = 1;

  TaskToken {
    requireNonNull(execution, "execution is null");
  }

  ByteString encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeBoolean(workflowTask);
      out.writeUTF(execution.namespaceId());
      out.writeUTF(execution.workflowId());
      out.writeUTF(execution.runId());
      out.writeLong(id);
      out.writeInt(attempt);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ByteString.copyFrom(bytes.toByteArray());
  }

  static TaskToken decode(ByteString token) {
    if (token.isEmpty()) {
      throw new InvalidArgumentException("Task token not set on request.");
    }
    try (DataInputStream in = new DataInputStream(token.newInput())) {
      if (in.readByte() != VERSION) {
        throw new InvalidArgumentException("Error deserializing task token: unknown version.");
      }
      boolean workflowTask = in.readBoolean();
      ExecutionKey execution = new ExecutionKey(in.readUTF(), in.readUTF(), in.readUTF());
      long id = in.readLong();
      int attempt = in.readInt();
      if (in.available() > 0) {
        throw new InvalidArgumentException("Error deserializing task token: trailing bytes.");
      }
      return new TaskToken(execution, workflowTask, id, attempt);
    } catch (IOException e) {
      throw new InvalidArgumentException("Error deserializing task token: " + e.getMessage());
    }
  }
}
