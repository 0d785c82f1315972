package dev.osprey.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.embedded.EmbeddedKafka;
import dev.osprey.schemas.kafka.OspreyTopics;
import dev.osprey.schemas.kafka.TopicNames;
import dev.osprey.schemas.kafka.TopicProvisioner;
import dev.osprey.schemas.registry.InMemorySchemaRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void provisionsCompactedTopicsOnceAndCarriesAvroRecords() throws Exception {
        TopicNames names = TopicNames.withPrefix("it-provision.");
        TopicProvisioner.Layout layout = new TopicProvisioner.Layout(2, (short) 1);

        assertThat(TopicProvisioner.ensureTopics(kafka.bootstrapServers(), names, layout)).hasSize(7);
        assertThat(TopicProvisioner.ensureTopics(kafka.bootstrapServers(), names, layout)).isEmpty();

        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(adminProps)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, names.poolState());
            Config config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }

        OspreyTopics topics = OspreyTopics.create(names, new InMemorySchemaRegistry());
        try (KafkaProducer<String, PoolState> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                topics.poolState().keySerde().serializer(), topics.poolState().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(names.poolState(), "c1/ns/pool", SampleRecords.poolState())).get();
        }
        try (KafkaConsumer<String, PoolState> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-provision",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                topics.poolState().keySerde().deserializer(), topics.poolState().valueSerde().deserializer())) {
            consumer.subscribe(List.of(names.poolState()));
            PoolState received = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received == null && System.nanoTime() < deadline) {
                ConsumerRecords<String, PoolState> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    received = records.iterator().next().value();
                }
            }
            assertThat(received).isEqualTo(SampleRecords.poolState());
        }
    }

    @Test
    void newTopicsAcceptAFirstSendWithoutRetryingOnceProvisioned() throws Exception {
        TopicNames names = TopicNames.withPrefix("it-served.");
        TopicProvisioner.Layout layout = new TopicProvisioner.Layout(3, (short) 1);

        Set<String> created = TopicProvisioner.ensureTopics(kafka.bootstrapServers(), names, layout);

        // a partition still coming online refuses a produce as not led; with no retries that fails the send
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.RETRIES_CONFIG, 0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String topic : created) {
                for (int partition = 0; partition < layout.partitions(); partition++) {
                    producer.send(new ProducerRecord<>(topic, partition, new byte[] {0}, new byte[] {1})).get();
                }
            }
        }
    }

    @Test
    void asksToCreateOnlyTheTopicsThatAreMissing() throws Exception {
        TopicNames names = TopicNames.withPrefix("it-partial.");
        List<NewTopic> topics = TopicProvisioner.topics(names, new TopicProvisioner.Layout(2, (short) 1));
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        List<String> askedFor = new CopyOnWriteArrayList<>();
        try (Admin admin = Admin.create(adminProps)) {
            admin.createTopics(List.of(new NewTopic(names.poolState(), 1, (short) 1))).all().get();
            // the real client, recording the names of every CreateTopics it is asked to send
            Admin recording = (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("createTopics")) {
                            ((Collection<?>) args[0]).forEach(t -> askedFor.add(((NewTopic) t).name()));
                        }
                        try {
                            return method.invoke(admin, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });

            Set<String> created = TopicProvisioner.ensure(recording, topics);

            assertThat(created).hasSize(6).doesNotContain(names.poolState());
            assertThat(askedFor).as("an existing topic is not asked for, so CREATE is not needed for it")
                    .hasSize(6).doesNotContain(names.poolState());
            askedFor.clear();
            assertThat(TopicProvisioner.ensure(recording, topics)).isEmpty();
            assertThat(askedFor).as("nothing is asked for when every topic exists").isEmpty();
        }
    }

    @Test
    void waitingForATopicThatNeverComesNamesIt() {
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(adminProps)) {
            assertThatThrownBy(() -> TopicProvisioner.awaitServed(admin, List.of("it-missing.topic"),
                    Duration.ofMillis(500)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("it-missing.topic");
        }
    }
}
