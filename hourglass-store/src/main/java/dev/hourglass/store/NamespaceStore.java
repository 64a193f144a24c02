package dev.hourglass.store;

import java.util.List;
import java.util.Optional;

/** Namespaces. */
public interface NamespaceStore {
  List<NamespaceRecord> listNamespaces();

  Optional<NamespaceRecord> getNamespaceByName(String name);

  /** Inserts a namespace; false when one of that name exists already. */
  boolean createNamespace(NamespaceRecord namespace);

  /** Replaces a namespace if it is still at {@code expectedVersion}; false otherwise. */
  boolean updateNamespace(NamespaceRecord namespace, long expectedVersion);
}
