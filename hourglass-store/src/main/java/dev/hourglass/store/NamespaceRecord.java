package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

/**
 * A namespace as stored.
 *
 * @param info serialized {@code temporal.api.namespace.v1.NamespaceInfo}
 * @param config serialized {@code temporal.api.namespace.v1.NamespaceConfig}
 */
public record NamespaceRecord(String id, String name, byte[] info, byte[] config, long version) {
  public NamespaceRecord {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    requireNonNull(info, "info is null");
    requireNonNull(config, "config is null");
  }
}
