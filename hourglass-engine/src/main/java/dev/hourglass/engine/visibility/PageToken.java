package dev.hourglass.engine.visibility;

import com.google.protobuf.ByteString;
import dev.hourglass.common.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A list's next-page token: where the last page ended (its last row's order values and run id)
 * and a fingerprint of the query, so a token is refused with another query instead of silently
 * paging something else.
 */
record PageToken(int queryFingerprint, List<Object> after) {
  private static final int VERSION = 1;

  PageToken {
    after = List.copyOf(after);
  }

  ByteString encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(VERSION);
      out.writeInt(queryFingerprint);
      out.writeInt(after.size());
      for (Object value : after) {
        if (value instanceof Long number) {
          out.writeByte(0);
          out.writeLong(number);
        } else {
          out.writeByte(1);
          out.writeUTF((String) value);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e);
    }
    return ByteString.copyFrom(bytes.toByteArray());
  }

  static PageToken decode(ByteString token, int expectedFingerprint) {
    try (DataInputStream in = new DataInputStream(token.newInput())) {
      if (in.readInt() != VERSION) {
        throw invalid();
      }
      int fingerprint = in.readInt();
      if (fingerprint != expectedFingerprint) {
        throw new InvalidArgumentException("the next page token belongs to another query");
      }
      int size = in.readInt();
      if (size < 1 || size > 8) {
        throw invalid();
      }
      List<Object> after = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        after.add(in.readByte() == 0 ? (Object) in.readLong() : in.readUTF());
      }
      return new PageToken(fingerprint, after);
    } catch (IOException e) {
      throw invalid();
    }
  }

  private static InvalidArgumentException invalid() {
    return new InvalidArgumentException("the next page token is malformed");
  }
}
