package dev.hourglass.engine.visibility;

import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.engine.visibility.ListQuery.And;
import dev.hourglass.engine.visibility.ListQuery.Between;
import dev.hourglass.engine.visibility.ListQuery.Compare;
import dev.hourglass.engine.visibility.ListQuery.Condition;
import dev.hourglass.engine.visibility.ListQuery.In;
import dev.hourglass.engine.visibility.ListQuery.IsNull;
import dev.hourglass.engine.visibility.ListQuery.Literal;
import dev.hourglass.engine.visibility.ListQuery.Name;
import dev.hourglass.engine.visibility.ListQuery.Not;
import dev.hourglass.engine.visibility.ListQuery.Operator;
import dev.hourglass.engine.visibility.ListQuery.Or;
import dev.hourglass.engine.visibility.ListQuery.OrderTerm;
import dev.hourglass.engine.visibility.ListQuery.StartsWith;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses Temporal's list filter language by recursive descent:
 *
 * <pre>
 * query      := [or] [ORDER BY name [ASC|DESC] {, name [ASC|DESC]}] [GROUP BY name {, name}]
 * or         := and {OR and}
 * and        := not {AND not}
 * not        := NOT not | '(' or ')' | predicate
 * predicate  := name op literal | name [NOT] IN '(' literal {, literal} ')'
 *             | name [NOT] BETWEEN literal AND literal | name STARTS_WITH literal | name IS [NOT] NULL
 * </pre>
 *
 * Names are bare words or back-quoted; strings are single- or double-quoted. Keywords are case
 * insensitive. A malformed query fails with INVALID_ARGUMENT naming what was expected and where.
 */
final class ListQueryParser {
  private final String text;
  private final List<Token> tokens;
  private int next;

  private enum Kind { WORD, NAME, STRING, NUMBER, OPERATOR, LEFT, RIGHT, COMMA, END }

  private record Token(Kind kind, String text, int position) {
    boolean isKeyword(String keyword) {
      return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }
  }

  private ListQueryParser(String text) {
    this.text = text;
    this.tokens = tokenize(text);
  }

  static ListQuery parse(String text) {
    return new ListQueryParser(text == null ? "" : text).query();
  }

  private ListQuery query() {
    Optional<Condition> where = Optional.empty();
    if (!peek().isKeyword("ORDER") && !peek().isKeyword("GROUP") && peek().kind() != Kind.END) {
      where = Optional.of(or());
    }
    List<OrderTerm> order = new ArrayList<>();
    if (peek().isKeyword("ORDER")) {
      take();
      expectKeyword("BY");
      do {
        Name name = name();
        boolean descending = false;
        if (peek().isKeyword("ASC")) {
          take();
        } else if (peek().isKeyword("DESC")) {
          take();
          descending = true;
        }
        order.add(new OrderTerm(name, descending));
      } while (takeIf(Kind.COMMA));
    }
    List<Name> group = new ArrayList<>();
    if (peek().isKeyword("GROUP")) {
      take();
      expectKeyword("BY");
      do {
        group.add(name());
      } while (takeIf(Kind.COMMA));
    }
    if (peek().kind() != Kind.END) {
      throw error(peek(), "expected AND, OR, ORDER BY, GROUP BY or the end of the query");
    }
    return new ListQuery(where, order, group);
  }

  private Condition or() {
    List<Condition> operands = new ArrayList<>(List.of(and()));
    while (peek().isKeyword("OR")) {
      take();
      operands.add(and());
    }
    return operands.size() == 1 ? operands.get(0) : new Or(operands);
  }

  private Condition and() {
    List<Condition> operands = new ArrayList<>(List.of(not()));
    while (peek().isKeyword("AND")) {
      take();
      operands.add(not());
    }
    return operands.size() == 1 ? operands.get(0) : new And(operands);
  }

  private Condition not() {
    if (peek().isKeyword("NOT")) {
      take();
      return new Not(not());
    }
    if (takeIf(Kind.LEFT)) {
      Condition inner = or();
      expect(Kind.RIGHT, "')'");
      return inner;
    }
    return predicate();
  }

  private Condition predicate() {
    Name name = name();
    Token token = peek();
    if (token.kind() == Kind.OPERATOR) {
      take();
      return new Compare(name, operator(token), literal());
    }
    if (token.isKeyword("STARTS_WITH")) {
      take();
      return new StartsWith(name, literal());
    }
    if (token.isKeyword("IS")) {
      take();
      boolean negated = false;
      if (peek().isKeyword("NOT")) {
        take();
        negated = true;
      }
      expectKeyword("NULL");
      return new IsNull(name, negated);
    }
    boolean negated = false;
    if (token.isKeyword("NOT")) {
      take();
      negated = true;
      token = peek();
    }
    if (token.isKeyword("IN")) {
      take();
      expect(Kind.LEFT, "'(' after IN");
      List<Literal> values = new ArrayList<>();
      do {
        values.add(literal());
      } while (takeIf(Kind.COMMA));
      expect(Kind.RIGHT, "')' or ',' in the IN list");
      return new In(name, values, negated);
    }
    if (token.isKeyword("BETWEEN")) {
      take();
      Literal low = literal();
      expectKeyword("AND");
      return new Between(name, low, literal(), negated);
    }
    throw error(token, negated ? "expected IN or BETWEEN after NOT"
        : "expected an operator (=, !=, <, <=, >, >=, IN, NOT IN, BETWEEN, STARTS_WITH, IS NULL) after " + name.text());
  }

  private Name name() {
    Token token = take();
    if (token.kind() == Kind.NAME || (token.kind() == Kind.WORD && !isReserved(token.text()))) {
      return new Name(token.text(), token.position());
    }
    throw error(token, "expected a search attribute name");
  }

  private Literal literal() {
    Token token = take();
    return switch (token.kind()) {
      case STRING -> new Literal(token.text(), token.position());
      case NUMBER -> new Literal(new BigDecimal(token.text()), token.position());
      case WORD -> {
        if (token.isKeyword("TRUE") || token.isKeyword("FALSE")) {
          yield new Literal(Boolean.valueOf(token.text().toLowerCase(Locale.ROOT)), token.position());
        }
        throw error(token, "expected a value (a quoted string, a number, true or false)");
      }
      default -> throw error(token, "expected a value (a quoted string, a number, true or false)");
    };
  }

  private Operator operator(Token token) {
    return switch (token.text()) {
      case "=" -> Operator.EQ;
      case "!=", "<>" -> Operator.NE;
      case "<" -> Operator.LT;
      case "<=" -> Operator.LE;
      case ">" -> Operator.GT;
      case ">=" -> Operator.GE;
      default -> throw error(token, "unknown operator " + token.text());
    };
  }

  private static boolean isReserved(String word) {
    return switch (word.toUpperCase(Locale.ROOT)) {
      case "AND", "OR", "NOT", "IN", "BETWEEN", "IS", "NULL", "ORDER", "GROUP", "BY", "STARTS_WITH" -> true;
      default -> false;
    };
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token take() {
    Token token = tokens.get(next);
    if (token.kind() != Kind.END) {
      next++;
    }
    return token;
  }

  private boolean takeIf(Kind kind) {
    if (peek().kind() == kind) {
      take();
      return true;
    }
    return false;
  }

  private void expect(Kind kind, String what) {
    if (!takeIf(kind)) {
      throw error(peek(), "expected " + what);
    }
  }

  private void expectKeyword(String keyword) {
    if (!peek().isKeyword(keyword)) {
      throw error(peek(), "expected " + keyword);
    }
    take();
  }

  private InvalidArgumentException error(Token token, String message) {
    String found = token.kind() == Kind.END ? "the end of the query" : "'" + token.text() + "'";
    return new InvalidArgumentException("invalid query: " + message + " at position " + token.position() + ", found " + found
        + " (query: " + text + ")");
  }

  // ---- tokens ----

  private static List<Token> tokenize(String text) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int position = i + 1;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')' || c == ',') {
        tokens.add(new Token(c == '(' ? Kind.LEFT : c == ')' ? Kind.RIGHT : Kind.COMMA, String.valueOf(c), position));
        i++;
      } else if (c == '\'' || c == '"' || c == '`') {
        StringBuilder value = new StringBuilder();
        i = quoted(text, i, value);
        tokens.add(new Token(c == '`' ? Kind.NAME : Kind.STRING, value.toString(), position));
      } else if (c == '=' || c == '<' || c == '>' || c == '!') {
        int end = i + 1;
        if (end < text.length() && (text.charAt(end) == '=' || (c == '<' && text.charAt(end) == '>'))) {
          end++;
        }
        String operator = text.substring(i, end);
        if (operator.equals("!")) {
          throw syntax(text, position, "expected '=' after '!'");
        }
        tokens.add(new Token(Kind.OPERATOR, operator, position));
        i = end;
      } else if (Character.isDigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < text.length()
          && Character.isDigit(text.charAt(i + 1)))) {
        int end = i + 1;
        while (end < text.length() && (Character.isDigit(text.charAt(end)) || text.charAt(end) == '.' || text.charAt(end) == 'e'
            || text.charAt(end) == 'E' || ((text.charAt(end) == '-' || text.charAt(end) == '+')
            && (text.charAt(end - 1) == 'e' || text.charAt(end - 1) == 'E')))) {
          end++;
        }
        String number = text.substring(i, end);
        try {
          new BigDecimal(number);
        } catch (NumberFormatException e) {
          throw syntax(text, position, "'" + number + "' is not a number");
        }
        tokens.add(new Token(Kind.NUMBER, number, position));
        i = end;
      } else if (Character.isLetter(c) || c == '_') {
        int end = i + 1;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
          end++;
        }
        tokens.add(new Token(Kind.WORD, text.substring(i, end), position));
        i = end;
      } else {
        throw syntax(text, position, "unexpected character '" + c + "'");
      }
    }
    tokens.add(new Token(Kind.END, "", text.length() + 1));
    return tokens;
  }

  /** Reads a quoted token starting at {@code start}; backslash escapes and a doubled quote stand for the character. */
  private static int quoted(String text, int start, StringBuilder value) {
    char quote = text.charAt(start);
    int i = start + 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        value.append(text.charAt(i + 1));
        i += 2;
      } else if (c == quote && i + 1 < text.length() && text.charAt(i + 1) == quote) {
        value.append(quote);
        i += 2;
      } else if (c == quote) {
        return i + 1;
      } else {
        value.append(c);
        i++;
      }
    }
    throw syntax(text, start + 1, "unterminated " + (quote == '`' ? "name" : "string") + " starting with " + quote);
  }

  private static InvalidArgumentException syntax(String text, int position, String message) {
    return new InvalidArgumentException("invalid query: " + message + " at position " + position + " (query: " + text + ")");
  }
}
