package dev.hourglass.engine.namespace;

import static java.util.Objects.requireNonNull;

import io.temporal.api.namespace.v1.NamespaceConfig;
import io.temporal.api.namespace.v1.NamespaceInfo;

/** A registered namespace, decoded. */
public record Namespace(String id, String name, NamespaceInfo info, NamespaceConfig config, long version) {
  public Namespace {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    requireNonNull(info, "info is null");
    requireNonNull(config, "config is null");
  }
}
