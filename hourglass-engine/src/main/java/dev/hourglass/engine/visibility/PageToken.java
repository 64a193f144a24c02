package dev.hourglass.engine.visibility;

import com.google.protobuf.ByteString;
import dev.hourglass.common.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A list's next-page token: where the last page ended (its last row's order values and run id)
 * (null for a search attribute the row lacks)) and a fingerprint of the query, so a token is refused with another query instead of silently
 * paging something else.
 */
record PageToken(int queryFingerprint, List<Object> after) {
  private static final int VERSION = 1;

  private static final byte LONG = 0;
  private static final byte STRING = 1;
  private static final byte DOUBLE = 2;
  /** A search attribute in the order that the last row does not have. */
  private static final byte MISSING = 3;

  PageToken {
    after = Collections.unmodifiableList(new ArrayList<>(after));
  }

  ByteString encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(VERSION);
      out.writeInt(queryFingerprint);
      out.writeInt(after.size());
      for (Object value : after) {
        if (value == null) {
          out.writeByte(MISSING);
        } else if (value instanceof Long number) {
          out.writeByte(LONG);
          out.writeLong(number);
        } else if (value instanceof Double number) {
          out.writeByte(DOUBLE);
          out.writeDouble(number);
        } else {
          out.writeByte(STRING);
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
        after.add(switch (in.readByte()) {
          case LONG -> in.readLong();
          case STRING -> in.readUTF();
          case DOUBLE -> in.readDouble();
          case MISSING -> null;
          default -> throw invalid();
        });
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
