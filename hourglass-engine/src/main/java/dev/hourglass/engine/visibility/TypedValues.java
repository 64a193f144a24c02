package dev.hourglass.engine.visibility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.store.SearchAttributeValue;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Search attribute values as the SDKs send them (JSON payloads with a {@code type} metadata
 * entry) turned into the typed rows the visibility index filters on. Datetimes become epoch
 * milliseconds, Bools 0/1, Text values one row per lower-cased word (a Text filter matches
 * words, as Temporal's full-text match does).
 */
final class TypedValues {
  static final String TYPE_METADATA = "type";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TypedValues() {}

  /** Temporal's name of a type, as used in payload metadata and by the CLI ("Keyword", "Int", ...). */
  static String typeName(IndexedValueType type) {
    return switch (type) {
      case INDEXED_VALUE_TYPE_TEXT -> "Text";
      case INDEXED_VALUE_TYPE_KEYWORD -> "Keyword";
      case INDEXED_VALUE_TYPE_INT -> "Int";
      case INDEXED_VALUE_TYPE_DOUBLE -> "Double";
      case INDEXED_VALUE_TYPE_BOOL -> "Bool";
      case INDEXED_VALUE_TYPE_DATETIME -> "Datetime";
      case INDEXED_VALUE_TYPE_KEYWORD_LIST -> "KeywordList";
      default -> "Unspecified";
    };
  }

  static Optional<IndexedValueType> typeNamed(String name) {
    for (IndexedValueType type : IndexedValueType.values()) {
      if (type != IndexedValueType.UNRECOGNIZED && typeName(type).equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** Fails with INVALID_ARGUMENT when the payload is not a value of {@code type}. */
  static void check(String name, IndexedValueType type, Payload payload) {
    values(name, type, payload);
  }

  /** The rows of all attributes of a known type: stamped at validation, or predefined by name. */
  static List<SearchAttributeValue> index(SearchAttributes attributes) {
    List<SearchAttributeValue> rows = new ArrayList<>();
    for (Map.Entry<String, Payload> entry : new java.util.TreeMap<>(attributes.getIndexedFieldsMap()).entrySet()) {
      Payload payload = entry.getValue();
      if (payload.getData().isEmpty()) {
        continue;
      }
      // Attributes the server itself sets (schedules) carry no type; their names fix it.
      Optional<IndexedValueType> type = payload.containsMetadata(TYPE_METADATA)
          ? typeNamed(payload.getMetadataOrThrow(TYPE_METADATA).toStringUtf8())
          : Optional.ofNullable(SearchAttributeRegistry.PREDEFINED.get(entry.getKey()));
      if (type.isPresent()) {
        try {
          rows.addAll(values(entry.getKey(), type.get(), payload));
        } catch (InvalidArgumentException e) {
          // validated when written; a value that no longer parses is simply not indexed
        }
      }
    }
    return rows;
  }

  static List<SearchAttributeValue> values(String name, IndexedValueType type, Payload payload) {
    JsonNode json;
    try {
      json = JSON.readTree(payload.getData().toByteArray());
    } catch (IOException e) {
      throw invalid(name, type, payload.getData().toStringUtf8());
    }
    List<SearchAttributeValue> rows = new ArrayList<>();
    if (json == null || json.isNull()) {
      return rows;
    }
    List<JsonNode> elements = new ArrayList<>();
    if (json.isArray()) {
      json.forEach(elements::add);
    } else {
      elements.add(json);
    }
    for (JsonNode element : elements) {
      addValue(rows, name, type, element);
    }
    return rows;
  }

  private static void addValue(List<SearchAttributeValue> rows, String name, IndexedValueType type, JsonNode value) {
    int seq = rows.size();
    switch (type) {
      case INDEXED_VALUE_TYPE_KEYWORD, INDEXED_VALUE_TYPE_KEYWORD_LIST -> {
        requireType(value.isTextual(), name, type, value);
        rows.add(SearchAttributeValue.ofText(name, seq, value.textValue()));
      }
      case INDEXED_VALUE_TYPE_TEXT -> {
        requireType(value.isTextual(), name, type, value);
        for (String word : words(value.textValue())) {
          rows.add(SearchAttributeValue.ofText(name, rows.size(), word));
        }
      }
      case INDEXED_VALUE_TYPE_INT -> {
        requireType(value.isIntegralNumber() || (value.isTextual() && value.textValue().matches("-?\\d+")), name, type, value);
        rows.add(SearchAttributeValue.ofInt(name, seq, value.isTextual() ? Long.parseLong(value.textValue()) : value.longValue()));
      }
      case INDEXED_VALUE_TYPE_DOUBLE -> {
        requireType(value.isNumber(), name, type, value);
        rows.add(SearchAttributeValue.ofDouble(name, seq, value.doubleValue()));
      }
      case INDEXED_VALUE_TYPE_BOOL -> {
        requireType(value.isBoolean(), name, type, value);
        rows.add(SearchAttributeValue.ofInt(name, seq, value.booleanValue() ? 1 : 0));
      }
      case INDEXED_VALUE_TYPE_DATETIME -> {
        requireType(value.isTextual(), name, type, value);
        rows.add(SearchAttributeValue.ofInt(name, seq, parseTime(value.textValue()).orElseThrow(() -> invalid(name, type, value.toString()))));
      }
      default -> throw invalid(name, type, value.toString());
    }
  }

  /** Lower-cased words of a text: what a Text filter matches on. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!word.isEmpty() && !words.contains(word)) {
        words.add(word);
      }
    }
    return words;
  }

  /** RFC 3339 (with or without fraction) to epoch milliseconds. */
  static Optional<Long> parseTime(String text) {
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant().toEpochMilli());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static void requireType(boolean matches, String name, IndexedValueType type, JsonNode value) {
    if (!matches) {
      throw invalid(name, type, value.toString());
    }
  }

  private static InvalidArgumentException invalid(String name, IndexedValueType type, String value) {
    return new InvalidArgumentException("invalid value for search attribute " + name + " of type " + typeName(type) + ": " + value);
  }
}
