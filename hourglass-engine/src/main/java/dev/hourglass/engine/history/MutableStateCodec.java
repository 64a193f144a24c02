package dev.hourglass.engine.history;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes {@link MutableState} for the store: a JSON document of our own fields with Temporal's
 * protobuf messages embedded in binary. JSON keeps the format evolvable (new fields default,
 * unknown fields are ignored by older readers during a rolling upgrade) and readable with sqlite3.
 */
final class MutableStateCodec {
  private final ObjectMapper mapper = new ObjectMapper()
      .registerModule(new ProtoJsonModule())
      .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
      .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  byte[] encode(MutableState state) {
    try {
      return mapper.writeValueAsBytes(state);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the state of " + state.workflowId, e);
    }
  }

  MutableState decode(byte[] bytes) {
    try {
      return mapper.readValue(bytes, MutableState.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode a stored workflow state", e);
    }
  }
}
