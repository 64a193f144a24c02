package dev.hourglass.engine.history;

import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.SearchAttributes;

/** Search attribute and memo upserts: an empty value removes the field, as in Temporal. */
final class Upserts {
  private Upserts() {}

  static SearchAttributes searchAttributes(SearchAttributes current, SearchAttributes upsert) {
    SearchAttributes.Builder merged = current == null ? SearchAttributes.newBuilder() : current.toBuilder();
    upsert.getIndexedFieldsMap().forEach((name, value) -> {
      if (value.getData().isEmpty()) {
        merged.removeIndexedFields(name);
      } else {
        merged.putIndexedFields(name, value);
      }
    });
    return merged.build();
  }

  static Memo memo(Memo current, Memo upsert) {
    Memo.Builder merged = current == null ? Memo.newBuilder() : current.toBuilder();
    upsert.getFieldsMap().forEach((name, value) -> {
      if (value.getData().isEmpty()) {
        merged.removeFields(name);
      } else {
        merged.putFields(name, value);
      }
    });
    return merged.build();
  }
}
