package dev.hourglass.cli.operator;

import dev.hourglass.cli.client.Session;
import picocli.CommandLine.Parameters;

/**
 * The namespace a namespace command acts on: the positional name if given (as in
 * {@code temporal operator namespace create orders}), else {@code -n}/{@code --namespace}.
 */
final class NamespaceName {
  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The namespace (default: --namespace).")
  String name;

  String resolve(Session session) {
    return name != null ? name : session.namespace();
  }
}
