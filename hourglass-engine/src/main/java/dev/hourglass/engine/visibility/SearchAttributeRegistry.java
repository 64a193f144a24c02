package dev.hourglass.engine.visibility;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.hourglass.common.AlreadyExistsException;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.common.NotFoundException;
import dev.hourglass.store.VisibilityStore;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which search attributes exist in a namespace and of what type: the system ones (columns), the
 * predefined ones the SDK and server may set (TemporalChangeVersion, ...), the custom ones every
 * namespace has as on Temporal's dev server (CustomKeywordField, ...), and those registered with
 * OperatorService.AddSearchAttributes (persisted per namespace).
 *
 * <p>Registered attributes are cached for a few seconds: another process sharing the store sees
 * an added attribute within that time.
 */
public final class SearchAttributeRegistry implements SearchAttributeValidator {
  private static final Duration CACHE_TIME = Duration.ofSeconds(5);
  private static final Pattern VALID_NAME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9_-]{0,63}$");
  private static final IndexedValueType KEYWORD = IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  private static final IndexedValueType KEYWORD_LIST = IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST;

  /** System attributes that workflows and the server may set: indexed like custom ones. */
  static final Map<String, IndexedValueType> PREDEFINED = Map.of(
      "TemporalChangeVersion", KEYWORD_LIST,
      "BinaryChecksums", KEYWORD_LIST,
      "BuildIds", KEYWORD_LIST,
      "BatcherUser", KEYWORD,
      "TemporalScheduledStartTime", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
      "TemporalScheduledById", KEYWORD,
      "TemporalSchedulePaused", IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
      "TemporalNamespaceDivision", KEYWORD);

  /** The custom attributes Temporal's dev server creates in every namespace (the SDK's tests use them). */
  static final Map<String, IndexedValueType> DEV_SERVER_CUSTOM = Map.of(
      "CustomKeywordField", KEYWORD,
      "CustomStringField", IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
      "CustomTextField", IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
      "CustomIntField", IndexedValueType.INDEXED_VALUE_TYPE_INT,
      "CustomDoubleField", IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
      "CustomBoolField", IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
      "CustomDatetimeField", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);

  private final VisibilityStore store;
  private final Cache<String, Map<String, IndexedValueType>> registered =
      Caffeine.newBuilder().expireAfterWrite(CACHE_TIME).maximumSize(10_000).build();

  public SearchAttributeRegistry(VisibilityStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  /** System attributes by name, as ListSearchAttributes reports them. */
  public Map<String, IndexedValueType> system() {
    Map<String, IndexedValueType> system = new TreeMap<>();
    SystemAttribute.all().values().forEach(attribute -> system.put(attribute.name(), attribute.type()));
    system.putAll(PREDEFINED);
    return system;
  }

  /** Custom attributes of a namespace: the dev server's and the registered ones. */
  public Map<String, IndexedValueType> custom(String namespaceId) {
    Map<String, IndexedValueType> custom = new TreeMap<>(DEV_SERVER_CUSTOM);
    custom.putAll(registered(namespaceId));
    return custom;
  }

  /** The type of an attribute stored as custom values (custom or predefined), if it exists. */
  Optional<IndexedValueType> indexedType(String namespaceId, String name) {
    IndexedValueType predefined = PREDEFINED.get(name);
    return predefined != null ? Optional.of(predefined) : Optional.ofNullable(custom(namespaceId).get(name));
  }

  /** Registers custom attributes; one that exists with the same type is left alone, as Temporal does. */
  public void add(String namespaceId, Map<String, IndexedValueType> attributes) {
    Map<String, IndexedValueType> existing = custom(namespaceId);
    Map<String, Integer> added = new LinkedHashMap<>();
    attributes.forEach((name, type) -> {
      if (!VALID_NAME.matcher(name).matches()) {
        throw new InvalidArgumentException("Search attribute name \"" + name + "\" is invalid: use up to 64 letters, digits, '_'"
            + " or '-', starting with a letter.");
      }
      if (SystemAttribute.named(name).isPresent() || PREDEFINED.containsKey(name)) {
        throw new InvalidArgumentException("Search attribute " + name + " is reserved by system.");
      }
      if (type == IndexedValueType.INDEXED_VALUE_TYPE_UNSPECIFIED || type == IndexedValueType.UNRECOGNIZED) {
        throw new InvalidArgumentException("Unknown search attribute type " + type + " for " + name + ".");
      }
      IndexedValueType current = existing.get(name);
      if (current != null && current != type) {
        throw new AlreadyExistsException("Search attribute " + name + " already exists with type " + TypedValues.typeName(current) + ".");
      }
      if (current == null) {
        added.put(name, type.getNumber());
      }
    });
    if (!added.isEmpty()) {
      store.addSearchAttributes(namespaceId, added);
    }
    registered.invalidate(namespaceId);
  }

  /** Unregisters custom attributes; NOT_FOUND for one that is not registered. */
  public void remove(String namespaceId, Set<String> names) {
    Map<String, IndexedValueType> current = registered(namespaceId);
    for (String name : names) {
      if (DEV_SERVER_CUSTOM.containsKey(name)) {
        throw new InvalidArgumentException("Search attribute " + name + " is predefined by the dev server and cannot be removed.");
      }
      if (!current.containsKey(name)) {
        throw new NotFoundException("Search attribute " + name + " doesn't exist.");
      }
    }
    store.removeSearchAttributes(namespaceId, names);
    registered.invalidate(namespaceId);
  }

  /**
   * Checks attributes given on start, upsert, child start or continue-as-new, as Temporal does,
   * and returns them with each payload's {@code type} metadata filled in where the client left it
   * out, so the run's visibility row can be indexed without asking the registry again.
   *
   * @throws InvalidArgumentException for an unknown or system attribute, or a value not of its type
   */
  @Override
  public SearchAttributes validate(String namespaceId, SearchAttributes attributes) {
    SearchAttributes.Builder typed = SearchAttributes.newBuilder();
    for (Map.Entry<String, Payload> entry : attributes.getIndexedFieldsMap().entrySet()) {
      String name = entry.getKey();
      if (SystemAttribute.named(name).isPresent()) {
        throw new InvalidArgumentException(name + " attribute can't be set in SearchAttributes");
      }
      IndexedValueType type = indexedType(namespaceId, name)
          .orElseThrow(() -> new InvalidArgumentException("search attribute " + name + " is not defined"));
      Payload payload = entry.getValue();
      if (!payload.getData().isEmpty()) {
        TypedValues.check(name, type, payload);
      }
      // As Temporal's ApplyTypeMap: a type the client stamped is kept (the SDK reads typed search
      // attributes back by it), a missing one is filled in from the registry.
      typed.putIndexedFields(name, payload.containsMetadata(TypedValues.TYPE_METADATA) ? payload
          : payload.toBuilder().putMetadata(TypedValues.TYPE_METADATA,
              com.google.protobuf.ByteString.copyFromUtf8(TypedValues.typeName(type))).build());
    }
    return typed.build();
  }

  private Map<String, IndexedValueType> registered(String namespaceId) {
    return registered.get(namespaceId, id -> {
      Map<String, IndexedValueType> types = new HashMap<>();
      store.searchAttributes(id).forEach((name, number) -> types.put(name, IndexedValueType.forNumber(number)));
      return Map.copyOf(types);
    });
  }
}
