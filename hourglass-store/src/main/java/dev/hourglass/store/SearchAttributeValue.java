package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

/**
 * One value of a custom search attribute of one run, in the column its type is filtered on:
 * {@code intValue} for Int, Bool (0/1) and Datetime (epoch millis), {@code doubleValue} for
 * Double, {@code textValue} for Keyword, each KeywordList element and each word of a Text.
 * Exactly one of the three is non-null.
 *
 * @param seq tells apart the values of one attribute (list elements, words)
 */
public record SearchAttributeValue(String name, int seq, Long intValue, Double doubleValue, String textValue) {
  public SearchAttributeValue {
    requireNonNull(name, "name is null");
    int present = (intValue != null ? 1 : 0) + (doubleValue != null ? 1 : 0) + (textValue != null ? 1 : 0);
    if (present != 1) {
      throw new IllegalArgumentException("exactly one of intValue, doubleValue, textValue must be set");
    }
  }

  public static SearchAttributeValue ofInt(String name, int seq, long value) {
    return new SearchAttributeValue(name, seq, value, null, null);
  }

  public static SearchAttributeValue ofDouble(String name, int seq, double value) {
    return new SearchAttributeValue(name, seq, null, value, null);
  }

  public static SearchAttributeValue ofText(String name, int seq, String value) {
    return new SearchAttributeValue(name, seq, null, null, requireNonNull(value, "value is null"));
  }
}
