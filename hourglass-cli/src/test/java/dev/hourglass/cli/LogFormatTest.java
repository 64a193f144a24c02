package dev.hourglass.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatTest {
  @Test
  void jsonPutsEveryKeyValueInAFieldOfItsOwn() throws Exception {
    // A context of our own, configured from the CLI's logback.xml: the test JVM's logging stays as it is.
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(getClass().getClassLoader().getResource("logback.xml"));
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      LogFormat.JSON.applyTo(context);
      context.getLogger("dev.hourglass.engine.shard.ShardController").atInfo()
          .addKeyValue("shardId", 7).addKeyValue("owner", "host-1").log("shards acquired");
    } finally {
      System.setErr(originalErr);
      context.stop();
    }

    JsonNode line = new ObjectMapper().readTree(captured.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow());
    assertThat(line.get("message").asText()).isEqualTo("shards acquired");
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("logger_name").asText()).isEqualTo("dev.hourglass.engine.shard.ShardController");
    assertThat(line.get("shardId").asInt()).isEqualTo(7);
    assertThat(line.get("owner").asText()).isEqualTo("host-1");
    assertThat(line.has("@timestamp")).isTrue();
  }

  @Test
  void flagWinsOverEnvironmentWhichWinsOverText() {
    assertThat(LogFormat.resolve(null, Map.of())).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.resolve(null, Map.of(LogFormat.ENV, " JSON "))).isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.resolve(LogFormat.TEXT, Map.of(LogFormat.ENV, "json"))).isEqualTo(LogFormat.TEXT);
    assertThatThrownBy(() -> LogFormat.resolve(null, Map.of(LogFormat.ENV, "xml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("HOURGLASS_LOG_FORMAT: expected one of text, json but was 'xml'");
  }
}
