package dev.hourglass.engine.nexus;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Timestamps;
import dev.hourglass.common.AlreadyExistsException;
import dev.hourglass.common.FailedPreconditionException;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.common.NotFoundException;
import dev.hourglass.engine.namespace.NamespaceRegistry;
import dev.hourglass.store.NexusEndpointRecord;
import dev.hourglass.store.NexusEndpointStore;
import io.temporal.api.nexus.v1.Endpoint;
import io.temporal.api.nexus.v1.EndpointSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Nexus endpoints as OperatorService manages them: validated, versioned, persisted records.
 * Operations name endpoints; Hourglass routes those whose target is a worker task queue.
 */
public final class NexusEndpointRegistry {
  private static final Pattern VALID_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_-]{0,199}$");
  private static final int DEFAULT_PAGE_SIZE = 100;

  private final NexusEndpointStore store;
  private final NamespaceRegistry namespaces;
  private final Clock clock;

  /** A page of endpoints, by name; {@code nextPageToken} empty on the last. */
  public record Page(List<Endpoint> endpoints, ByteString nextPageToken) {}

  public NexusEndpointRegistry(NexusEndpointStore store, NamespaceRegistry namespaces, Clock clock) {
    this.store = requireNonNull(store, "store is null");
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  public Endpoint create(EndpointSpec spec) {
    validate(spec);
    String id = UUID.randomUUID().toString();
    long now = clock.millis();
    Endpoint endpoint = Endpoint.newBuilder()
        .setId(id)
        .setVersion(1)
        .setSpec(spec)
        .setCreatedTime(Timestamps.fromMillis(now))
        .setLastModifiedTime(Timestamps.fromMillis(now))
        .setUrlPrefix("/nexus/endpoints/" + id)
        .build();
    if (!store.create(new NexusEndpointRecord(id, spec.getName(), 1, endpoint.toByteArray()))) {
      throw new AlreadyExistsException("error creating Nexus endpoint: endpoint with name " + spec.getName() + " already registered");
    }
    return endpoint;
  }

  public Endpoint get(String id) {
    requireId(id);
    return decode(store.get(id).orElseThrow(() -> new NotFoundException("error getting Nexus endpoint: endpoint not found")));
  }

  /** The endpoint of that name, if one is registered (ScheduleNexusOperation names endpoints). */
  public java.util.Optional<Endpoint> byName(String name) {
    return store.getByName(name).map(NexusEndpointRegistry::decode);
  }

  public Page list(int pageSize, ByteString pageToken, String name) {
    if (!name.isEmpty()) {
      return new Page(store.getByName(name).map(record -> List.of(decode(record))).orElse(List.of()), ByteString.EMPTY);
    }
    int limit = pageSize <= 0 ? DEFAULT_PAGE_SIZE : pageSize;
    List<Endpoint> endpoints = store.list(pageToken.toString(StandardCharsets.UTF_8), limit).stream()
        .map(NexusEndpointRegistry::decode).toList();
    ByteString next = endpoints.size() < limit ? ByteString.EMPTY
        : ByteString.copyFromUtf8(endpoints.get(endpoints.size() - 1).getSpec().getName());
    return new Page(endpoints, next);
  }

  public Endpoint update(String id, long version, EndpointSpec spec) {
    Endpoint current = get(id);
    validate(spec);
    if (current.getVersion() != version) {
      throw versionMismatch(id, version, current.getVersion());
    }
    Endpoint updated = current.toBuilder()
        .setVersion(version + 1)
        .setSpec(spec)
        .setLastModifiedTime(Timestamps.fromMillis(clock.millis()))
        .build();
    if (!store.update(new NexusEndpointRecord(id, spec.getName(), version + 1, updated.toByteArray()), version)) {
      if (store.getByName(spec.getName()).filter(other -> !other.id().equals(id)).isPresent()) {
        throw new AlreadyExistsException("error updating Nexus endpoint: endpoint with name " + spec.getName() + " already registered");
      }
      throw versionMismatch(id, version, get(id).getVersion());
    }
    return updated;
  }

  public void delete(String id, long version) {
    Endpoint current = get(id);
    if (current.getVersion() != version || !store.delete(id, version)) {
      throw versionMismatch(id, version, get(id).getVersion());
    }
  }

  private void validate(EndpointSpec spec) {
    if (!VALID_NAME.matcher(spec.getName()).matches()) {
      throw new InvalidArgumentException("Nexus endpoint name \"" + spec.getName() + "\" is invalid: use up to 200 letters, digits,"
          + " '_' or '-', starting with a letter or '_'.");
    }
    if (spec.getTarget().hasWorker()) {
      var worker = spec.getTarget().getWorker();
      namespaces.byName(worker.getNamespace());
      if (worker.getTaskQueue().isEmpty()) {
        throw new InvalidArgumentException("Nexus endpoint target task queue is not set.");
      }
    } else if (spec.getTarget().hasExternal()) {
      if (spec.getTarget().getExternal().getUrl().isEmpty()) {
        throw new InvalidArgumentException("Nexus endpoint target URL is not set.");
      }
    } else {
      throw new InvalidArgumentException("Nexus endpoint target is not set.");
    }
  }

  private static void requireId(String id) {
    if (id.isEmpty()) {
      throw new InvalidArgumentException("Nexus endpoint ID is not set on request.");
    }
  }

  private static FailedPreconditionException versionMismatch(String id, long given, long current) {
    return new FailedPreconditionException("nexus endpoint " + id + " is at version " + current + ", not " + given);
  }

  private static Endpoint decode(NexusEndpointRecord record) {
    try {
      return Endpoint.parseFrom(record.endpoint());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt Nexus endpoint record " + record.id(), e);
    }
  }
}
