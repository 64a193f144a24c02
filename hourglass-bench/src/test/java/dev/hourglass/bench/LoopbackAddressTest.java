package dev.hourglass.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoopbackAddressTest {
  @Test
  void acceptsLoopbackLiteralsAndLocalhost() {
    assertThat(LoopbackAddress.parse("127.0.0.1:7233").grpcTarget()).isEqualTo("127.0.0.1:7233");
    assertThat(LoopbackAddress.parse("[::1]:7233").grpcTarget()).isEqualTo("[0:0:0:0:0:0:0:1]:7233");
    assertThat(LoopbackAddress.parse("localhost:7233").ip().isLoopbackAddress()).isTrue();
  }

  @Test
  void dialsTheResolvedLiteralNotTheName() {
    assertThat(LoopbackAddress.parse("localhost:7233").grpcTarget()).doesNotContain("localhost");
  }

  @Test
  void refusesAddressesOffThisMachine() {
    assertThatThrownBy(() -> LoopbackAddress.parse("10.1.2.3:7233")).hasMessageContaining("not loopback");
    assertThatThrownBy(() -> LoopbackAddress.parse("0.0.0.0:7233")).hasMessageContaining("not loopback");
  }

  @Test
  void refusesMalformedAddresses() {
    assertThatThrownBy(() -> LoopbackAddress.parse("127.0.0.1")).hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> LoopbackAddress.parse("127.0.0.1:")).hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> LoopbackAddress.parse("127.0.0.1:http")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> LoopbackAddress.parse("127.0.0.1:70000")).hasMessageContaining("1..65535");
  }
}
