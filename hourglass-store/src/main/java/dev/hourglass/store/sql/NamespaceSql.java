package dev.hourglass.store.sql;

/** Statements on {@code namespaces}. */
final class NamespaceSql {
  static final String SELECT_ALL = "SELECT id, name, info, config, version FROM namespaces ORDER BY name";
  static final String SELECT_BY_NAME = "SELECT id, name, info, config, version FROM namespaces WHERE name = ?";
  static final String INSERT = "INSERT INTO namespaces (id, name, info, config, version) VALUES (?, ?, ?, ?, ?)";
  static final String UPDATE = "UPDATE namespaces SET info = ?, config = ?, version = ? WHERE id = ? AND version = ?";

  private NamespaceSql() {}
}
