package dev.hourglass.engine.visibility;

import io.temporal.api.command.v1.Command;
import io.temporal.api.common.v1.SearchAttributes;

/** Checks search attributes a workflow sets, as Temporal does, before they reach history. */
public interface SearchAttributeValidator {
  /**
   * Returns the attributes with each payload typed by its registered type.
   *
   * @throws dev.hourglass.common.InvalidArgumentException for an unknown or system attribute, or
   *     a value not of its type ("search attribute X is not defined")
   */
  SearchAttributes validate(String namespaceId, SearchAttributes attributes);

  /** The command with its search attributes validated (upsert, continue-as-new, child start); others unchanged. */
  default Command validateCommand(String namespaceId, Command command) {
    if (command.hasUpsertWorkflowSearchAttributesCommandAttributes()) {
      var attributes = command.getUpsertWorkflowSearchAttributesCommandAttributes();
      return command.toBuilder().setUpsertWorkflowSearchAttributesCommandAttributes(attributes.toBuilder()
          .setSearchAttributes(validate(namespaceId, attributes.getSearchAttributes()))).build();
    }
    if (command.hasContinueAsNewWorkflowExecutionCommandAttributes()
        && command.getContinueAsNewWorkflowExecutionCommandAttributes().hasSearchAttributes()) {
      var attributes = command.getContinueAsNewWorkflowExecutionCommandAttributes();
      return command.toBuilder().setContinueAsNewWorkflowExecutionCommandAttributes(attributes.toBuilder()
          .setSearchAttributes(validate(namespaceId, attributes.getSearchAttributes()))).build();
    }
    if (command.hasStartChildWorkflowExecutionCommandAttributes()
        && command.getStartChildWorkflowExecutionCommandAttributes().hasSearchAttributes()) {
      var attributes = command.getStartChildWorkflowExecutionCommandAttributes();
      return command.toBuilder().setStartChildWorkflowExecutionCommandAttributes(attributes.toBuilder()
          .setSearchAttributes(validate(namespaceId, attributes.getSearchAttributes()))).build();
    }
    return command;
  }
}
