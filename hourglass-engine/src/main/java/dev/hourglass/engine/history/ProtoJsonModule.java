package dev.hourglass.engine.history;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.io.IOException;

/**
 * Lets Jackson store Temporal's protobuf messages inside the mutable-state document as their
 * binary encoding (base64 in JSON). Protobuf stays the format of anything that is Temporal's
 * (payloads, failures, event attributes); Jackson only frames our own fields around them.
 */
final class ProtoJsonModule extends SimpleModule {
  ProtoJsonModule() {
    super("hourglass-protobuf");
    addSerializer(Message.class, new MessageSerializer());
    setDeserializers(new com.fasterxml.jackson.databind.module.SimpleDeserializers() {
      @Override
      public JsonDeserializer<?> findBeanDeserializer(JavaType type, com.fasterxml.jackson.databind.DeserializationConfig config,
          com.fasterxml.jackson.databind.BeanDescription description) {
        if (Message.class.isAssignableFrom(type.getRawClass())) {
          return new MessageDeserializer(type.getRawClass());
        }
        return null;
      }
    });
  }

  private static final class MessageSerializer extends StdSerializer<Message> {
    MessageSerializer() {
      super(Message.class);
    }

    @Override
    public void serialize(Message value, JsonGenerator generator, SerializerProvider provider) throws IOException {
      generator.writeBinary(value.toByteArray());
    }
  }

  private static final class MessageDeserializer extends JsonDeserializer<Message> implements ContextualDeserializer {
    private final Parser<?> parser;

    MessageDeserializer(Class<?> type) {
      try {
        this.parser = (Parser<?>) type.getMethod("parser").invoke(null);
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException("not a generated protobuf message: " + type, e);
      }
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) throws JsonMappingException {
      return this;
    }

    @Override
    public Message deserialize(JsonParser jsonParser, DeserializationContext context) throws IOException {
      try {
        return (Message) parser.parseFrom(jsonParser.getBinaryValue());
      } catch (InvalidProtocolBufferException e) {
        throw new IOException("corrupt protobuf in mutable state", e);
      }
    }
  }
}
