package dev.osprey.bench.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.kafka.Topic;

/**
 * The benchmark's samples ({@link SampleSource}) written straight into Avro binary in the Confluent wire format,
 * from per-endpoint byte templates: about 0.1 µs per sample instead of a full Avro encoding, so the producer side
 * never limits the aggregator. {@link #verify} checks the writer against the topic's real Avro serde before use.
 * Not thread-safe.
 */
final class WireSamples {

    private final byte[] head;
    private final byte[][] middles;
    private final byte[][] poolKeys;
    private final int endpoints;
    private byte[] buffer = new byte[256];
    private int length;
    private long sequence;

    /**
     * @param schemaId the registry id of the EndpointMetrics schema for the topic (written after the magic byte)
     */
    WireSamples(SampleSource source, int endpoints, int schemaId) {
        this.endpoints = endpoints;
        this.length = 0;
        put((byte) 0);
        put((byte) (schemaId >>> 24));
        put((byte) (schemaId >>> 16));
        put((byte) (schemaId >>> 8));
        put((byte) schemaId);
        string(SampleSource.CLUSTER);
        string(SampleSource.COLLECTOR);
        this.head = Arrays.copyOf(buffer, length);
        this.middles = new byte[endpoints][];
        this.poolKeys = new byte[endpoints][];
        for (int e = 0; e < endpoints; e++) {
            length = 0;
            string(source.endpointIdOf(e));
            string(source.poolOf(e));
            string(source.addressOf(e));
            varLong(SampleSource.PORT);
            varLong(0); // engine VLLM
            middles[e] = Arrays.copyOf(buffer, length);
            poolKeys[e] = source.poolOf(e).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The registry id the topic's serializer writes for EndpointMetrics. */
    static int schemaId(Topic<String, EndpointMetrics> topic, SampleSource probe) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), probe.sample(0, 1, 0));
        return ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
    }

    /**
     * Encodes {@code samples} samples with this writer and decodes them with the topic's serde.
     *
     * @throws IllegalStateException when a decoded sample differs from what {@link SampleSource} would build
     */
    static void verify(Topic<String, EndpointMetrics> topic, int endpoints, int pools, int samples) {
        SampleSource reference = new SampleSource(endpoints, pools);
        WireSamples writer = new WireSamples(new SampleSource(endpoints, pools), endpoints, schemaId(topic, reference));
        for (int i = 0; i < samples; i++) {
            long scrapeTime = 1_700_000_000_000L + i * 7L;
            byte[] wire = writer.next(scrapeTime);
            EndpointMetrics decoded = topic.valueSerde().deserializer().deserialize(topic.name(), wire);
            EndpointMetrics expected = reference.next(scrapeTime);
            if (!expected.equals(decoded)) {
                throw new IllegalStateException("wire sample " + i + " decodes to " + decoded + ", expected " + expected);
            }
        }
    }

    /** The key (pool id, UTF-8) of the sample {@link #next} returned last. */
    byte[] lastKey() {
        return poolKeys[(int) ((sequence - 1) % endpoints)];
    }

    /** The next sample, scraped at {@code scrapeTimeMs}, as a fresh array. */
    byte[] next(long scrapeTimeMs) {
        int e = (int) (sequence % endpoints);
        sequence++;
        length = 0;
        putAll(head);
        varLong(sequence);
        putAll(middles[e]);
        varLong(scrapeTimeMs);
        varLong(0); // scrapeDurationMicros
        varLong(0); // status OK
        varLong(0); // statusMessage: null branch
        varLong(SampleSource.waiting(sequence));
        varLong(SampleSource.running(sequence));
        long kv = Double.doubleToLongBits(SampleSource.kv(sequence));
        for (int i = 0; i < 8; i++) {
            put((byte) (kv >>> (8 * i)));
        }
        varLong(0); // runningLoraAdapters: empty array
        varLong(0); // waitingLoraAdapters: empty array
        for (int i = 0; i < 5; i++) {
            varLong(0); // maxLoraSlots, blockSize, numGpuBlocks, prefixCacheQueries, prefixCacheHits: null
        }
        return Arrays.copyOf(buffer, length);
    }

    private void string(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        varLong(bytes.length);
        putAll(bytes);
    }

    /** Avro long/int: zig-zag, then base-128 varint. */
    private void varLong(long value) {
        long n = (value << 1) ^ (value >> 63);
        while ((n & ~0x7FL) != 0) {
            put((byte) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        put((byte) n);
    }

    private void putAll(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void put(byte b) {
        ensure(1);
        buffer[length++] = b;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
