package dev.hourglass.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreConfigTest {
  @Test
  void libpqStyleUrlGivesTheUserAndPasswordItCarries() {
    StoreConfig.Postgres config = StoreConfig.Postgres.fromUrl("postgresql://hourglass:s%40cret@db.example:5433/hg?sslmode=require",
        Optional.empty(), Optional.empty());
    assertThat(config).isEqualTo(new StoreConfig.Postgres("jdbc:postgresql://db.example:5433/hg?sslmode=require", "hourglass", "s@cret"));
    assertThat(config.toString()).doesNotContain("s@cret");
  }

  @Test
  void explicitCredentialsWinOverTheUrls() {
    StoreConfig.Postgres config = StoreConfig.Postgres.fromUrl("jdbc:postgresql://127.0.0.1/hg", Optional.of("app"), Optional.of("pw"));
    assertThat(config).isEqualTo(new StoreConfig.Postgres("jdbc:postgresql://127.0.0.1/hg", "app", "pw"));
  }

  @Test
  void urlsThatAreNotPostgresqlOrNameNoDatabaseAreRefusedWithoutShowingThePassword() {
    assertThatThrownBy(() -> StoreConfig.Postgres.fromUrl("mysql://u:pw@h/db", Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with postgresql://").hasMessageNotContaining("pw@");
    assertThatThrownBy(() -> StoreConfig.Postgres.fromUrl("postgresql://u@h", Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must name a host and a database");
    assertThatThrownBy(() -> StoreConfig.Postgres.fromUrl("postgresql://h/db", Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no database user");
  }
}
