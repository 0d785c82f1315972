package dev.osprey.aggregator;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.osprey.schemas.avro.EndpointMetrics;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.kafka.OspreyTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A producer of endpoint samples and a consumer of the latest PoolState per pool, for integration tests. */
final class KafkaTestClients implements AutoCloseable {

    private final OspreyTopics topics;
    private final KafkaProducer<String, EndpointMetrics> producer;
    private final KafkaConsumer<String, PoolState> consumer;
    private final Map<String, PoolState> latest = new HashMap<>();

    KafkaTestClients(String bootstrapServers, OspreyTopics topics, String groupId) {
        this.topics = topics;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 0), topics.endpointMetrics().keySerde().serializer(),
                topics.endpointMetrics().valueSerde().serializer());
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                topics.poolState().keySerde().deserializer(), topics.poolState().valueSerde().deserializer());
        consumer.subscribe(List.of(topics.poolState().name()));
    }

    void send(EndpointMetrics sample) {
        producer.send(new ProducerRecord<>(topics.endpointMetrics().name(), sample.getPoolId(), sample));
        producer.flush();
    }

    /** Polls once and returns the newest PoolState seen so far per pool id. */
    Map<String, PoolState> pollLatest() {
        for (ConsumerRecord<String, PoolState> record : consumer.poll(Duration.ofMillis(100))) {
            latest.merge(record.key(), record.value(),
                    (old, fresh) -> fresh.getVersion() >= old.getVersion() ? fresh : old);
        }
        return Map.copyOf(latest);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
