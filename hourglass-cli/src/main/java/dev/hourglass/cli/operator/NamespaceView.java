package dev.hourglass.cli.operator;

import dev.hourglass.cli.client.Durations;
import dev.hourglass.cli.client.Output;
import io.temporal.api.namespace.v1.NamespaceConfig;
import io.temporal.api.namespace.v1.NamespaceInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/** How a namespace looks in tables. */
final class NamespaceView {
  private NamespaceView() {}

  static Map<String, String> card(NamespaceInfo info, NamespaceConfig config) {
    Map<String, String> card = new LinkedHashMap<>();
    card.put("Name", info.getName());
    card.put("Id", info.getId());
    card.put("State", Output.enumName(info.getState(), "NAMESPACE_STATE_"));
    card.put("Description", info.getDescription());
    card.put("OwnerEmail", info.getOwnerEmail());
    card.put("Retention", Durations.format(config.getWorkflowExecutionRetentionTtl()));
    info.getDataMap().forEach((key, value) -> card.put("Data." + key, value));
    return card;
  }
}
