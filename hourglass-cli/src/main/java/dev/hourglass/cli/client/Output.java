package dev.hourglass.cli.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.temporal.api.common.v1.Payload;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Everything a client command prints on stdout, in the chosen format: for {@code json}, messages
 * in the protobuf JSON mapping (with payloads shown as their decoded JSON value unless
 * {@code --no-json-shorthand-payloads}, as {@code temporal} does); for {@code table}, aligned
 * key/value cards and column tables.
 */
public final class Output {
  /** Indented like {@code temporal}'s JSON: {@code "key": value}, one array element per line. */
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .setDefaultPrettyPrinter(new DefaultPrettyPrinter()
          .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE)
          .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));
  private static final JsonFormat.Printer PROTO_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

  private final PrintWriter out;
  private final OutputFormat format;
  private final boolean shorthandPayloads;

  public Output(PrintWriter out, OutputFormat format, boolean shorthandPayloads) {
    this.out = requireNonNull(out, "out is null");
    this.format = requireNonNull(format, "format is null");
    this.shorthandPayloads = shorthandPayloads;
  }

  public boolean json() {
    return format == OutputFormat.JSON;
  }

  /** Prints a message as indented JSON. */
  public void printJson(MessageOrBuilder message) {
    printJson(toJsonTree(message));
  }

  public void printJson(JsonNode value) {
    try {
      out.println(MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
    out.flush();
  }

  /** Prints a message as one line of JSON, for streams of events (JSON Lines). */
  public void printJsonLine(MessageOrBuilder message) {
    out.println(Payloads.toText(toJsonTree(message)));
    out.flush();
  }

  /** Several messages as one JSON array. */
  public void printJsonArray(Collection<? extends MessageOrBuilder> messages) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    messages.forEach(message -> array.add(toJsonTree(message)));
    printJson(array);
  }

  /** The protobuf JSON mapping of a message, payloads decoded as configured. */
  public JsonNode toJsonTree(MessageOrBuilder message) {
    try {
      JsonNode tree = MAPPER.readTree(PROTO_PRINTER.print(message));
      return shorthandPayloads ? withDecodedPayloads(tree) : tree;
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName() + " as JSON", e);
    }
  }

  public void line(String text) {
    out.println(text);
    out.flush();
  }

  /** Rows of {@code name  value}, names aligned, as {@code temporal} prints one object. */
  public void card(Map<String, String> fields) {
    int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
    for (Map.Entry<String, String> field : fields.entrySet()) {
      out.println("  " + pad(field.getKey(), width) + "  " + field.getValue());
    }
    out.flush();
  }

  /** A table with a header row, columns aligned to their widest cell. */
  public void table(List<String> headers, List<List<String>> rows) {
    int[] widths = new int[headers.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder(" ");
      for (int i = 0; i < widths.length; i++) {
        line.append(' ').append(i == widths.length - 1 ? row.get(i) : pad(row.get(i), widths[i]) + " ");
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }

  /** A timestamp as an ISO-8601 instant, or empty when unset. */
  public static String time(Timestamp timestamp) {
    if (timestamp.getSeconds() == 0 && timestamp.getNanos() == 0) {
      return "";
    }
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()).toString();
  }

  /** {@code EXECUTION_STATUS_RUNNING} → {@code Running}, as {@code temporal} shows enum values in tables. */
  public static String enumName(Enum<?> value, String prefix) {
    String name = value.name().startsWith(prefix) ? value.name().substring(prefix.length()) : value.name();
    StringBuilder text = new StringBuilder();
    for (String word : name.split("_")) {
      if (!word.isEmpty()) {
        text.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
      }
    }
    return text.toString();
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(Math.max(0, width - text.length()));
  }

  /** Replaces each payload object (metadata with an encoding, base64 data) by the value it holds. */
  private static JsonNode withDecodedPayloads(JsonNode node) {
    if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        array.set(i, withDecodedPayloads(array.get(i)));
      }
      return array;
    }
    if (!node.isObject()) {
      return node;
    }
    ObjectNode object = (ObjectNode) node;
    if (isPayload(object)) {
      return Payloads.decode(payload(object));
    }
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      field.setValue(withDecodedPayloads(field.getValue()));
    }
    return object;
  }

  private static boolean isPayload(ObjectNode object) {
    JsonNode metadata = object.get("metadata");
    if (metadata == null || !metadata.isObject() || !metadata.has(Payloads.ENCODING_KEY)) {
      return false;
    }
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!name.equals("metadata") && !name.equals("data")) {
        return false;
      }
    }
    return true;
  }

  private static Payload payload(ObjectNode object) {
    Payload.Builder payload = Payload.newBuilder();
    object.get("metadata").fields().forEachRemaining(entry ->
        payload.putMetadata(entry.getKey(), ByteString.copyFrom(Base64.getDecoder().decode(entry.getValue().asText()))));
    JsonNode data = object.get("data");
    if (data != null) {
      payload.setData(ByteString.copyFrom(Base64.getDecoder().decode(data.asText())));
    }
    return payload.build();
  }
}
