package dev.hourglass.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.EncodingKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Payloads as a person reads them: what the SDK's default data converter wrote as JSON
 * ({@code json/plain}, {@code json/protobuf}) decoded and pretty-printed, {@code binary/null} as
 * {@code null}, and anything else (bytes, an encrypted payload) as base64 with its encoding named.
 */
final class PayloadText {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;
  private static final JsonFormat.Printer PROTO_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  private static final String ENCODING = EncodingKeys.METADATA_ENCODING_KEY;
  // The SDK's encoding names (EncodingKeys keeps them package-private).
  private static final String JSON_PLAIN = "json/plain";
  private static final String JSON_PROTOBUF = "json/protobuf";
  private static final String BINARY_NULL = "binary/null";

  private PayloadText() {}

  /** One payload as JSON text. */
  static String text(Payload payload) {
    return pretty(decode(payload));
  }

  /** Several payloads (arguments, a result): one alone as itself, several as a JSON array, none as null. */
  static Optional<String> text(Payloads payloads) {
    if (payloads.getPayloadsCount() == 0) {
      return Optional.empty();
    }
    if (payloads.getPayloadsCount() == 1) {
      return Optional.of(text(payloads.getPayloads(0)));
    }
    return Optional.of(pretty(JsonNodeFactory.instance.arrayNode().addAll(payloads.getPayloadsList().stream().map(PayloadText::decode).toList())));
  }

  /** A decoded payload as a one-line string, for a table cell: a JSON string without its quotes. */
  static String shortText(Payload payload) {
    JsonNode value = decode(payload);
    return value.isTextual() ? value.textValue() : value.toString();
  }

  /** Named payloads (memo, search attributes, header) decoded, in key order. */
  static Map<String, String> texts(Map<String, Payload> fields) {
    Map<String, String> texts = new java.util.TreeMap<>();
    fields.forEach((key, value) -> texts.put(key, shortText(value)));
    return texts;
  }

  /** Any message (an event's attributes) as pretty JSON, with every payload inside it decoded. */
  static String messageText(MessageOrBuilder message) {
    try {
      JsonNode tree = MAPPER.readTree(PROTO_PRINTER.print(message));
      return pretty(decodePayloadsIn(tree));
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      return message.toString();
    }
  }

  static JsonNode decode(Payload payload) {
    String encoding = payload.getMetadataOrDefault(ENCODING, ByteString.EMPTY).toStringUtf8();
    return decode(encoding, payload.getData().toByteArray(), () -> CONVERTER.fromPayload(payload, JsonNode.class, JsonNode.class));
  }

  private static JsonNode decode(String encoding, byte[] data, JsonDecoder jsonPlain) {
    try {
      return switch (encoding) {
        case JSON_PLAIN -> jsonPlain.decode();
        case JSON_PROTOBUF -> MAPPER.readTree(data);
        case BINARY_NULL -> JsonNodeFactory.instance.nullNode();
        default -> raw(encoding, data);
      };
    } catch (DataConverterException | IOException e) {
      return raw(encoding, data);
    }
  }

  /** What cannot be read as JSON: its encoding and its bytes, base64, so nothing is hidden. */
  private static JsonNode raw(String encoding, byte[] data) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("encoding", encoding.isEmpty() ? "(none)" : encoding);
    node.put("base64", Base64.getEncoder().encodeToString(data));
    return node;
  }

  /**
   * JsonFormat prints a payload as {@code {"metadata": {"encoding": <base64>}, "data": <base64>}};
   * replace each such object with its decoded value.
   */
  private static JsonNode decodePayloadsIn(JsonNode node) {
    if (node.isObject()) {
      if (isPayload(node)) {
        return decodePrinted(node);
      }
      ObjectNode object = (ObjectNode) node;
      for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        field.setValue(decodePayloadsIn(field.getValue()));
      }
      if (object.size() == 1 && object.has("payloads") && object.get("payloads").isArray()) {
        // A Payloads message: show its values, not the wrapper.
        JsonNode values = object.get("payloads");
        return values.size() == 1 ? values.get(0) : values;
      }
      return object;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, decodePayloadsIn(node.get(i)));
      }
    }
    return node;
  }

  private static boolean isPayload(JsonNode node) {
    JsonNode metadata = node.get("metadata");
    return metadata != null && metadata.isObject() && metadata.has(ENCODING) && node.size() <= 3
        && List.of("metadata", "data", "externalPayloads").containsAll(fieldNames(node));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode decodePrinted(JsonNode node) {
    String encoding = new String(Base64.getDecoder().decode(node.get("metadata").get(ENCODING).asText()), StandardCharsets.UTF_8);
    byte[] data = node.has("data") ? Base64.getDecoder().decode(node.get("data").asText()) : new byte[0];
    return decode(encoding, data, () -> MAPPER.readTree(data));
  }

  private static String pretty(JsonNode value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  @FunctionalInterface
  private interface JsonDecoder {
    JsonNode decode() throws IOException;
  }
}
