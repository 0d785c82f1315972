package dev.osprey.bench.extproc;

import dev.osprey.schemas.avro.EndpointHealth;
import dev.osprey.schemas.avro.EndpointState;
import dev.osprey.schemas.avro.Engine;
import dev.osprey.schemas.avro.PoolState;
import dev.osprey.schemas.kafka.OspreyTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Stands in for the metrics collector and the aggregator: publishes the pool state of 8 healthy vLLM endpoints
 * (fixed load figures) once at start and then every {@code interval} with a fresh scrape time and the next version,
 * as a deployment's pipeline does (endpoints scraped every 50 ms). A pool state frozen at start-up is not a
 * deployment's: the scheduler counts its own dispatches since each endpoint's last scrape, and with a scrape time
 * that never advances that count covers the whole dispatch retention (60 s), so every pick would scan tens of
 * thousands of dispatches. The publishing thread is named {@code pool-state-feeder}; its CPU and the EPPs'
 * consumption of the records cost every server's slices alike.
 */
final class PoolStateFeeder implements AutoCloseable {

    private static final int ENDPOINTS = 8;
    private final KafkaProducer<String, PoolState> producer;
    private final OspreyTopics topics;
    private final String poolId;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pool-state-feeder");
        t.setDaemon(true);
        return t;
    });
    private long version;

    private PoolStateFeeder(String bootstrap, OspreyTopics topics, String poolId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.producer = new KafkaProducer<>(props, topics.poolState().keySerde().serializer(),
                topics.poolState().valueSerde().serializer());
        this.topics = topics;
        this.poolId = poolId;
    }

    /** Publishes the first pool state (waiting until the broker has it), then one every {@code interval}. */
    static PoolStateFeeder start(String bootstrap, OspreyTopics topics, String poolId, Duration interval)
            throws InterruptedException, ExecutionException, TimeoutException {
        PoolStateFeeder feeder = new PoolStateFeeder(bootstrap, topics, poolId);
        try {
            feeder.thread.submit(() -> feeder.publish().get(30, TimeUnit.SECONDS)).get();
        } catch (ExecutionException | InterruptedException e) {
            feeder.close();
            throw e;
        }
        feeder.thread.scheduleAtFixedRate(feeder::publish, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return feeder;
    }

    /** Runs on the feeder thread only. */
    private java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> publish() {
        long now = System.currentTimeMillis();
        List<EndpointState> endpoints = new ArrayList<>(ENDPOINTS);
        for (int i = 1; i <= ENDPOINTS; i++) {
            endpoints.add(EndpointState.newBuilder().setEndpointId("local/ns/pod-" + i + ":8000")
                    .setAddress("10.0.0." + i).setPort(8000).setEngine(Engine.VLLM)
                    .setHealth(EndpointHealth.HEALTHY).setScrapeTimeMs(now).setMetricsAgeMs(5)
                    .setWaitingRequests(i % 3).setRunningRequests(2).setKvCacheUtilization(0.1 * (i % 5)).build());
        }
        return producer.send(new ProducerRecord<>(topics.poolState().name(), poolId, PoolState.newBuilder()
                .setCluster("local").setPoolId(poolId).setVersion(++version).setProducedAtMs(now)
                .setEndpoints(endpoints).build()));
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(5, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(5));
    }
}
