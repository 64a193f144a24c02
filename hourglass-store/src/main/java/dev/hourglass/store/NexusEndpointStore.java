package dev.hourglass.store;

import java.util.List;
import java.util.Optional;

/** Nexus endpoints (OperatorService), cluster-wide records with optimistic versions. */
public interface NexusEndpointStore {
  Optional<NexusEndpointRecord> get(String id);

  Optional<NexusEndpointRecord> getByName(String name);

  /** Up to {@code limit} endpoints whose names sort after {@code afterName}, by name. */
  List<NexusEndpointRecord> list(String afterName, int limit);

  /** Inserts an endpoint; false when one of that id or name exists already. */
  boolean create(NexusEndpointRecord endpoint);

  /** Replaces an endpoint if it is still at {@code expectedVersion}; false otherwise (or when a name is taken). */
  boolean update(NexusEndpointRecord endpoint, long expectedVersion);

  /** Deletes an endpoint if it is at {@code expectedVersion}; false otherwise. */
  boolean delete(String id, long expectedVersion);
}
