package dev.osprey.aggregator.topology;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that cannot be deserialized to the dead-letter topic, with their raw key and value, their original
 * headers and headers naming the error and the source, then lets processing continue. Kafka Streams instantiates it
 * from {@link StreamsConfig#DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG}; it reads the topic from
 * {@link StreamsConfig#ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG} and, optionally, an {@link AggregatorMetrics}
 * object under {@link #METRICS_CONFIG}. Thread-safe after configuration.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {

    /** Streams property holding the {@link AggregatorMetrics} instance to count dead letters with (optional). */
    public static final String METRICS_CONFIG = "osprey.aggregator.internal.metrics";
    /** Header: fully qualified class of the exception. */
    public static final String HEADER_ERROR_CLASS = "osprey.error.class";
    /** Header: message of the exception and of its root cause. */
    public static final String HEADER_ERROR_MESSAGE = "osprey.error.message";
    /** Header: the topic the record was read from. */
    public static final String HEADER_SOURCE_TOPIC = "osprey.source.topic";
    /** Header: the partition the record was read from, as decimal text. */
    public static final String HEADER_SOURCE_PARTITION = "osprey.source.partition";
    /** Header: the offset of the record, as decimal text. */
    public static final String HEADER_SOURCE_OFFSET = "osprey.source.offset";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String deadLetterTopic;
    private AggregatorMetrics metrics = AggregatorMetrics.noop();

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (!(topic instanceof String name) || name.isBlank()) {
            throw new ConfigException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topic,
                    "the dead-letter topic is required by " + DeadLetterHandler.class.getName());
        }
        this.deadLetterTopic = name;
        if (configs.get(METRICS_CONFIG) instanceof AggregatorMetrics configured) {
            this.metrics = configured;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        LOG.warn("sending an undeserializable record from {}-{}@{} to {}: {}", record.topic(), record.partition(),
                record.offset(), deadLetterTopic, exception.toString());
        metrics.deadLetter(record.topic());
        return Response.resume(List.of(deadLetter(record, exception)));
    }

    private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> record, Exception exception) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(HEADER_ERROR_CLASS, utf8(exception.getClass().getName()));
        headers.add(HEADER_ERROR_MESSAGE, utf8(describe(exception)));
        headers.add(HEADER_SOURCE_TOPIC, utf8(record.topic()));
        headers.add(HEADER_SOURCE_PARTITION, utf8(String.valueOf(record.partition())));
        headers.add(HEADER_SOURCE_OFFSET, utf8(String.valueOf(record.offset())));
        Long timestamp = record.timestamp() >= 0 ? record.timestamp() : null;
        return new ProducerRecord<>(deadLetterTopic, null, timestamp, record.key(), record.value(), headers);
    }

    private static String describe(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == exception ? String.valueOf(exception.getMessage())
                : exception.getMessage() + " (caused by " + root + ")";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
