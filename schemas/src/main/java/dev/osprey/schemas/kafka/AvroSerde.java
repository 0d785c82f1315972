package dev.osprey.schemas.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.osprey.schemas.registry.SchemaRegistry;
import dev.osprey.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro specific-record serde in the Confluent wire format: magic byte 0, a 4-byte big-endian schema id, then the
 * Avro binary payload. The writer schema is registered under {@code <topic>-value} (or {@code -key}), the
 * TopicNameStrategy; readers resolve any registered writer version into the generated class's schema.
 *
 * <p>Thread-safe. Failures surface as Kafka's {@link SerializationException}, so Kafka Streams' deserialization
 * exception handlers see them. A {@code null} payload (tombstone) maps to {@code null} both ways.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private static final byte MAGIC = 0;

    private final SchemaRegistry registry;
    private final Class<T> type;
    private final Schema readerSchema;
    private final boolean isKey;
    private final Map<String, Integer> writerIdByTopic = new ConcurrentHashMap<>();
    private final Map<Integer, SpecificDatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();
    private final SpecificDatumWriter<T> writer;

    private AvroSerde(SchemaRegistry registry, Class<T> type, boolean isKey) {
        TrustedAvroPackage.install();
        this.registry = registry;
        this.type = type;
        this.readerSchema = SpecificData.get().getSchema(type);
        this.isKey = isKey;
        this.writer = new SpecificDatumWriter<>(readerSchema);
    }

    /** A serde for record values of {@code type}. */
    public static <T extends SpecificRecord> AvroSerde<T> forValues(SchemaRegistry registry, Class<T> type) {
        return new AvroSerde<>(registry, type, false);
    }

    /** A serde for record keys of {@code type}. */
    public static <T extends SpecificRecord> AvroSerde<T> forKeys(SchemaRegistry registry, Class<T> type) {
        return new AvroSerde<>(registry, type, true);
    }

    /** The subject this serde registers under for {@code topic}. */
    public String subject(String topic) {
        return topic + (isKey ? "-key" : "-value");
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        int id;
        try {
            id = writerIdByTopic.computeIfAbsent(topic, t -> registry.register(subject(t), readerSchema));
        } catch (SchemaRegistryException e) {
            throw new SerializationException("cannot register " + type.getSimpleName() + " for " + topic, e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MAGIC);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName() + " for " + topic, e);
        }
        return out.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < 5 || bytes[0] != MAGIC) {
            throw new SerializationException("not in the Confluent wire format (magic byte 0 and a schema id) on "
                    + topic + ": " + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.get();
        int id = buffer.getInt();
        try {
            SpecificDatumReader<T> reader = readersByWriterId.computeIfAbsent(id,
                    i -> new SpecificDatumReader<>(registry.schemaById(i), readerSchema));
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null);
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + " with writer schema id "
                    + id + " on " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKeySerde) {
        // Built programmatically; nothing to configure.
    }

    @Override
    public void close() {
        // Nothing owned.
    }
}
