package dev.hourglass.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hourglass.common.StoreUnavailableException;
import dev.hourglass.common.UnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The circuit breaker's decisions, with a database that answers or not as the test says. */
class DatabaseAvailabilityTest {
  private static final SQLException CONNECTION_REFUSED = new SQLException("Connection to db:5432 refused.", "08001");
  private static final SQLException UNIQUE_VIOLATION = new SQLException("duplicate key value", "23505");

  private final AtomicBoolean databaseAnswers = new AtomicBoolean(true);
  private final AtomicInteger probes = new AtomicInteger();
  private final AtomicInteger renewals = new AtomicInteger();
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final DatabaseAvailability availability = new DatabaseAvailability("the PostgreSQL database postgresql://db:5432/hg", () -> {
    probes.incrementAndGet();
    if (!databaseAnswers.get()) {
      throw new SQLException("Connection to db:5432 refused.", "08001");
    }
  }, renewals::incrementAndGet, metrics);

  @AfterEach
  void close() {
    availability.close();
  }

  @Test
  void anErrorThatIsNotAboutTheConnectionStartsNoOutage() {
    UnavailableException failure = availability.failed("commit", UNIQUE_VIOLATION);

    assertThat(failure).isNotInstanceOf(StoreUnavailableException.class).hasMessage("the store could not commit: duplicate key value");
    assertThat(probes).hasValue(0);
    assertThatCode(availability::checkAvailable).doesNotThrowAnyException();
  }

  @Test
  void aLostConnectionToADatabaseThatAnswersIsRetriedWithoutAnOutage() {
    UnavailableException failure = availability.failed("be read", CONNECTION_REFUSED);

    assertThat(failure).isNotInstanceOf(StoreUnavailableException.class).hasMessageContaining("the database answers again, retry");
    assertThat(probes).hasValue(1);
    assertThat(renewals).hasValue(1);
    assertThatCode(availability::checkAvailable).doesNotThrowAnyException();
    assertThat(metrics.get("persistence_available").gauge().value()).isEqualTo(1);
  }

  @Test
  void anUnreachableDatabaseFailsCallsAtOnceUntilItAnswersAgain() throws InterruptedException {
    CountDownLatch recovered = new CountDownLatch(1);
    availability.addRecoveryListener(recovered::countDown);
    databaseAnswers.set(false);

    UnavailableException failure = availability.failed("commit", CONNECTION_REFUSED);

    assertThat(failure).isInstanceOf(StoreUnavailableException.class)
        .hasMessageStartingWith("the PostgreSQL database postgresql://db:5432/hg is unreachable (for 0 s, since ")
        .hasMessageEndingWith("): Connection to db:5432 refused.; retry later");
    assertThatThrownBy(availability::checkAvailable).isInstanceOf(StoreUnavailableException.class);
    assertThat(availability.check(Duration.ofSeconds(1), () -> {})).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("is unreachable");
    assertThat(availability.outagesBegun()).isEqualTo(1);
    assertThat(metrics.get("persistence_available").gauge().value()).isZero();
    assertThat(metrics.get("persistence_outages").counter().count()).isEqualTo(1);
    // More failures during the outage neither probe nor count a new outage.
    int probesSoFar = probes.get();
    assertThat(availability.failed("be read", CONNECTION_REFUSED)).isInstanceOf(StoreUnavailableException.class);
    assertThat(probes.get()).isLessThanOrEqualTo(probesSoFar + 1);
    assertThat(recovered.getCount()).isEqualTo(1);

    databaseAnswers.set(true);

    assertThat(recovered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThatCode(availability::checkAvailable).doesNotThrowAnyException();
    assertThat(availability.check(Duration.ofSeconds(1), () -> {})).isEqualTo(Optional.empty());
    assertThat(availability.outagesBegun()).isEqualTo(1);
    assertThat(metrics.get("persistence_available").gauge().value()).isEqualTo(1);
  }

  @Test
  void aHealthCheckThatDoesNotAnswerInTimeSaysSo() {
    CountDownLatch never = new CountDownLatch(1);
    Optional<String> problem = availability.check(Duration.ofMillis(100), () -> {
      try {
        never.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    never.countDown();

    assertThat(problem).contains("the PostgreSQL database postgresql://db:5432/hg did not answer within 100 ms");
  }
}
