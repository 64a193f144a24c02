package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/** Which store a server runs on: an embedded SQLite file, or a PostgreSQL database. */
public sealed interface StoreConfig {
  /** What to show an operator: the file, or the URL without credentials. */
  String location();

  /** The embedded store ({@code start-dev}): one file, one process. */
  record Sqlite(Path file) implements StoreConfig {
    public Sqlite {
      requireNonNull(file, "file is null");
    }

    @Override
    public String location() {
      return file.toString();
    }
  }

  /**
   * The production store.
   *
   * @param jdbcUrl {@code jdbc:postgresql://host:port/database}, without credentials
   * @param user the role to log in as
   * @param password empty for trust or peer authentication
   */
  record Postgres(String jdbcUrl, String user, String password) implements StoreConfig {
    public Postgres {
      requireNonNull(jdbcUrl, "jdbcUrl is null");
      requireNonNull(user, "user is null");
      requireNonNull(password, "password is null");
      if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
        throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
      }
    }

    @Override
    public String location() {
      return jdbcUrl.substring("jdbc:".length());
    }

    /** The password is never printed, not even by accident in a log of the options. */
    @Override
    public String toString() {
      return "Postgres[" + location() + ", user=" + user + "]";
    }

    /**
     * Reads either form operators use: {@code postgresql://user:password@host:port/db} (libpq's,
     * as psql takes it) or {@code jdbc:postgresql://host:port/db}. A user or password in the URL
     * is used when the explicit one is empty.
     *
     * @throws IllegalArgumentException when the URL is neither, or names no database
     */
    public static Postgres fromUrl(String url, Optional<String> user, Optional<String> password) {
      requireNonNull(url, "url is null");
      String withoutJdbc = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
      URI uri;
      try {
        uri = new URI(withoutJdbc);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("invalid database URL " + redact(url) + ": " + e.getReason());
      }
      String scheme = String.valueOf(uri.getScheme());
      if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
        throw new IllegalArgumentException("database URL must start with postgresql:// (or jdbc:postgresql://): " + redact(url));
      }
      if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
        throw new IllegalArgumentException("database URL must name a host and a database, as in "
            + "postgresql://hourglass@127.0.0.1:5432/hourglass: " + redact(url));
      }
      String[] userInfo = uri.getRawUserInfo() == null ? new String[0] : uri.getRawUserInfo().split(":", 2);
      String urlUser = userInfo.length > 0 ? decode(userInfo[0]) : "";
      String urlPassword = userInfo.length > 1 ? decode(userInfo[1]) : "";
      String jdbcUrl = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + uri.getRawPath()
          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      String chosenUser = user.filter(value -> !value.isEmpty()).orElse(urlUser);
      if (chosenUser.isEmpty()) {
        throw new IllegalArgumentException("no database user: give --db-user, HOURGLASS_DB_USER or user@ in the URL");
      }
      return new Postgres(jdbcUrl, chosenUser, password.filter(value -> !value.isEmpty()).orElse(urlPassword));
    }

    private static String decode(String value) {
      return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    /** The URL as it may be shown: any password in it replaced. */
    private static String redact(String url) {
      return url.replaceAll("(://[^:/@]*):[^@/]*@", "$1:***@");
    }
  }
}
