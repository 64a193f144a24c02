package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

/**
 * A Nexus endpoint as stored.
 *
 * @param endpoint serialized {@code temporal.api.nexus.v1.Endpoint}
 */
public record NexusEndpointRecord(String id, String name, long version, byte[] endpoint) {
  public NexusEndpointRecord {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    requireNonNull(endpoint, "endpoint is null");
  }
}
