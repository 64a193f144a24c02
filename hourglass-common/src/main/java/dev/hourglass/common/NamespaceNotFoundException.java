package dev.hourglass.common;

/** No namespace of that name or id. Maps to NOT_FOUND with Temporal's NamespaceNotFoundFailure detail. */
public final class NamespaceNotFoundException extends NotFoundException {
  private final String namespace;

  public NamespaceNotFoundException(String namespace) {
    super("Namespace " + namespace + " is not found.");
    this.namespace = namespace;
  }

  public String namespace() {
    return namespace;
  }
}
