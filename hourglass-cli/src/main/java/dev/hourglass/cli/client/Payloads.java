package dev.hourglass.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Converts between the JSON a user types and Temporal payloads. Values are encoded as
 * {@code json/plain}, exactly what the SDKs' default data converters write for an object, so an
 * SDK worker reads {@code --input '"Ada"'} as the string {@code Ada}. Decoding understands the
 * default converters' encodings; anything else (an encrypted payload, say) is shown as it is.
 */
public final class Payloads {
  public static final String ENCODING_KEY = "encoding";
  public static final String JSON_PLAIN = "json/plain";
  private static final String JSON_PROTOBUF = "json/protobuf";
  private static final String BINARY_NULL = "binary/null";
  private static final String BINARY_PLAIN = "binary/plain";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Payloads() {}

  /**
   * @param json the value as typed
   * @param what names the flag in the error, e.g. {@code --input}
   * @throws InvalidSettingsException when {@code json} is not one JSON value
   */
  public static Payload encode(String json, String what) {
    return encode(parse(json, what));
  }

  public static Payload encode(JsonNode value) {
    try {
      return Payload.newBuilder()
          .putMetadata(ENCODING_KEY, ByteString.copyFromUtf8(JSON_PLAIN))
          .setData(ByteString.copyFrom(MAPPER.writeValueAsBytes(value)))
          .build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree always serializes", e);
    }
  }

  /** Each value as one payload, in order: several {@code --input} flags are several arguments. */
  public static io.temporal.api.common.v1.Payloads encodeAll(List<String> jsonValues, String what) {
    io.temporal.api.common.v1.Payloads.Builder payloads = io.temporal.api.common.v1.Payloads.newBuilder();
    for (String json : jsonValues) {
      payloads.addPayloads(encode(json, what));
    }
    return payloads.build();
  }

  public static JsonNode parse(String json, String what) {
    try {
      JsonNode value = MAPPER.readTree(json);
      if (value == null || value.isMissingNode()) {
        throw new InvalidSettingsException("Invalid " + what + ": empty, expected a JSON value such as '\"text\"' or '{\"a\": 1}'");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new InvalidSettingsException("Invalid " + what + ": not JSON (" + e.getOriginalMessage()
          + "); a string needs its quotes, e.g. --input '\"text\"'", e);
    }
  }

  /** The value a payload holds, as JSON. */
  public static JsonNode decode(Payload payload) {
    String encoding = payload.getMetadataOrDefault(ENCODING_KEY, ByteString.EMPTY).toStringUtf8();
    switch (encoding) {
      case JSON_PLAIN, JSON_PROTOBUF -> {
        try {
          return MAPPER.readTree(payload.getData().toByteArray());
        } catch (IOException e) {
          return JsonNodeFactory.instance.textNode(payload.getData().toStringUtf8());
        }
      }
      case BINARY_NULL -> {
        return JsonNodeFactory.instance.nullNode();
      }
      case BINARY_PLAIN -> {
        return JsonNodeFactory.instance.textNode(Base64.getEncoder().encodeToString(payload.getData().toByteArray()));
      }
      default -> {
        return raw(payload);
      }
    }
  }

  /** Several payloads: one value alone, several as an array, none as null. */
  public static JsonNode decode(io.temporal.api.common.v1.Payloads payloads) {
    if (payloads.getPayloadsCount() == 0) {
      return JsonNodeFactory.instance.nullNode();
    }
    if (payloads.getPayloadsCount() == 1) {
      return decode(payloads.getPayloads(0));
    }
    return JsonNodeFactory.instance.arrayNode().addAll(payloads.getPayloadsList().stream().map(Payloads::decode).toList());
  }

  /** Compact one-line JSON of a decoded value, for tables. */
  public static String toText(JsonNode value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private static ObjectNode raw(Payload payload) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    ObjectNode metadata = node.putObject("metadata");
    for (Map.Entry<String, ByteString> entry : payload.getMetadataMap().entrySet()) {
      metadata.put(entry.getKey(), entry.getValue().toString(StandardCharsets.UTF_8));
    }
    node.put("data", Base64.getEncoder().encodeToString(payload.getData().toByteArray()));
    return node;
  }
}
