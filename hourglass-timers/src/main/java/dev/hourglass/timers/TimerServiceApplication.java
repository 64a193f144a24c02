package dev.hourglass.timers;

import dev.hourglass.timers.api.TimerService;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The timer service as a Spring Boot application: the REST API ({@code dev.hourglass.timers.api})
 * and the Temporal client and worker ({@link TemporalConfiguration}). Start it through
 * {@link TimerSystem}, which sets its defaults and can embed an Hourglass server first.
 */
@SpringBootApplication
@OpenAPIDefinition(info = @Info(title = "Hourglass timers", version = "1",
    description = "Durable webhook timers: at the deadline the service POSTs an empty body to url + \"/\" + id."))
public class TimerServiceApplication {
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  TimerService timerService(WorkflowClient client, TimerServiceProperties properties, Clock clock) {
    return new TimerService(client, properties, clock);
  }
}
