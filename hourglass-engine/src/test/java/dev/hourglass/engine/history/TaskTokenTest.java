package dev.hourglass.engine.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class TaskTokenTest {
  @Test
  void roundTrips() {
    TaskToken token = new TaskToken(new ExecutionKey("ns-id", "order-42", "run-1"), false, 17, 3);
    assertThat(TaskToken.decode(token.encode())).isEqualTo(token);
  }

  @Test
  void garbageIsAnInvalidArgument() {
    assertThatThrownBy(() -> TaskToken.decode(ByteString.copyFromUtf8("not a token")))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("Error deserializing task token");
    assertThatThrownBy(() -> TaskToken.decode(ByteString.EMPTY))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("Task token not set");
  }
}
