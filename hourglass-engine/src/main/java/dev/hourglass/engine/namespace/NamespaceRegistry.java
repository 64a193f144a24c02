package dev.hourglass.engine.namespace;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Durations;
import dev.hourglass.common.AlreadyExistsException;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.common.NamespaceNotFoundException;
import dev.hourglass.common.UnavailableException;
import dev.hourglass.store.NamespaceRecord;
import dev.hourglass.store.NamespaceStore;
import io.temporal.api.enums.v1.ArchivalState;
import io.temporal.api.enums.v1.NamespaceState;
import io.temporal.api.namespace.v1.NamespaceConfig;
import io.temporal.api.namespace.v1.NamespaceInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Namespaces by name and id, cached in memory (they change rarely) and read through from the
 * store on a miss, so a namespace registered by another process is found too.
 */
public final class NamespaceRegistry {
  /** Retention when a namespace is registered without one: Temporal's dev-server default. */
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
  /** Temporal's rule for namespace names. */
  private static final Pattern VALID_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9._-]{1,999}$");

  private final NamespaceStore store;
  private final Map<String, Namespace> byName = new ConcurrentHashMap<>();
  private final Map<String, Namespace> byId = new ConcurrentHashMap<>();

  public NamespaceRegistry(NamespaceStore store) {
    this.store = requireNonNull(store, "store is null");
    store.listNamespaces().forEach(record -> remember(decode(record)));
  }

  public Namespace byName(String name) {
    if (name.isEmpty()) {
      throw new InvalidArgumentException("Namespace not set on request.");
    }
    Namespace namespace = byName.get(name);
    if (namespace != null) {
      return namespace;
    }
    return store.getNamespaceByName(name).map(record -> remember(decode(record)))
        .orElseThrow(() -> new NamespaceNotFoundException(name));
  }

  /** The name of a namespace id (ids come from stored executions, so they exist). */
  public String nameOf(String id) {
    Namespace namespace = byId.get(id);
    if (namespace == null) {
      store.listNamespaces().forEach(record -> remember(decode(record)));
      namespace = byId.get(id);
    }
    return namespace == null ? id : namespace.name();
  }

  public List<Namespace> list() {
    return store.listNamespaces().stream().map(record -> remember(decode(record))).toList();
  }

  /** Registers a namespace; ALREADY_EXISTS when the name is taken. */
  public Namespace register(String name, String description, String ownerEmail, Duration retention, Map<String, String> data) {
    if (!VALID_NAME.matcher(name).matches()) {
      throw new InvalidArgumentException("Namespace name \"" + name + "\" is invalid: use 2 to 1000 letters, digits, '.', '_' or '-',"
          + " starting with a letter or digit.");
    }
    if (retention.isNegative()) {
      throw new InvalidArgumentException("WorkflowExecutionRetentionPeriod may not be negative.");
    }
    Duration effectiveRetention = retention.isZero() ? DEFAULT_RETENTION : retention;
    NamespaceInfo info = NamespaceInfo.newBuilder()
        .setName(name)
        .setId(UUID.randomUUID().toString())
        .setState(NamespaceState.NAMESPACE_STATE_REGISTERED)
        .setDescription(description)
        .setOwnerEmail(ownerEmail)
        .putAllData(data)
        .build();
    NamespaceConfig config = NamespaceConfig.newBuilder()
        .setWorkflowExecutionRetentionTtl(Durations.fromMillis(effectiveRetention.toMillis()))
        .setHistoryArchivalState(ArchivalState.ARCHIVAL_STATE_DISABLED)
        .setVisibilityArchivalState(ArchivalState.ARCHIVAL_STATE_DISABLED)
        .build();
    NamespaceRecord record = new NamespaceRecord(info.getId(), name, info.toByteArray(), config.toByteArray(), 1);
    if (!store.createNamespace(record)) {
      throw new AlreadyExistsException("Namespace already exists.");
    }
    return remember(decode(record));
  }

  /** Registers the namespace unless it exists (server start-up). */
  public Namespace ensure(String name) {
    try {
      return byName(name);
    } catch (NamespaceNotFoundException e) {
      try {
        return register(name, "", "", DEFAULT_RETENTION, Map.of());
      } catch (AlreadyExistsException raced) {
        return byName(name);
      }
    }
  }

  /** Replaces info and config of a namespace (UpdateNamespace). */
  public Namespace update(Namespace namespace, NamespaceInfo info, NamespaceConfig config) {
    NamespaceRecord record = new NamespaceRecord(namespace.id(), namespace.name(), info.toByteArray(), config.toByteArray(),
        namespace.version() + 1);
    if (!store.updateNamespace(record, namespace.version())) {
      byName.remove(namespace.name());
      throw new UnavailableException("Namespace " + namespace.name() + " was changed concurrently; retry.");
    }
    return remember(decode(record));
  }

  private Namespace remember(Namespace namespace) {
    byName.put(namespace.name(), namespace);
    byId.put(namespace.id(), namespace);
    return namespace;
  }

  private static Namespace decode(NamespaceRecord record) {
    try {
      return new Namespace(record.id(), record.name(), NamespaceInfo.parseFrom(record.info()), NamespaceConfig.parseFrom(record.config()),
          record.version());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt namespace record " + record.name(), e);
    }
  }
}
