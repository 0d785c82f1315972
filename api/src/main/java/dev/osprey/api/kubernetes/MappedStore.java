package dev.osprey.api.kubernetes;

import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mapped records of one watched kind, keyed by {@code namespace/name}, kept up to date by informer events.
 * An object that does not map (a bad field) is logged and left out; its previous good version is dropped too, so
 * the set never holds a stale view of an object the cluster says is broken. Thread-safe.
 *
 * @param <K> the fabric8 object type
 * @param <T> the record type
 */
final class MappedStore<K extends HasMetadata, T> implements ResourceEventHandler<K> {

    private static final Logger LOG = LoggerFactory.getLogger(MappedStore.class);

    private final String description;
    private final Function<JsonNode, T> mapper;
    private final KubernetesSerialization serialization;
    private final Runnable changed;
    private final Map<String, T> records = new ConcurrentHashMap<>();
    private final AtomicLong rejected;

    MappedStore(String description, Function<JsonNode, T> mapper, KubernetesSerialization serialization,
            Runnable changed, AtomicLong rejected) {
        this.description = description;
        this.mapper = mapper;
        this.serialization = serialization;
        this.changed = changed;
        this.rejected = rejected;
    }

    @Override
    public void onAdd(K object) {
        put(object);
    }

    @Override
    public void onUpdate(K oldObject, K newObject) {
        put(newObject);
    }

    @Override
    public void onDelete(K object, boolean deletedFinalStateUnknown) {
        if (records.remove(key(object.getMetadata())) != null) {
            changed.run();
        }
    }

    /** The current records, ordered by {@code namespace/name}. */
    List<T> snapshot() {
        return records.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
    }

    private void put(K object) {
        String key = key(object.getMetadata());
        try {
            T record = mapper.apply(serialization.convertValue(object, JsonNode.class));
            records.put(key, record);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            rejected.incrementAndGet();
            LOG.warn("skipping {} {}: {}", description, key, e.getMessage());
            records.remove(key);
        }
        changed.run();
    }

    private static String key(ObjectMeta meta) {
        return meta.getNamespace() + "/" + meta.getName();
    }
}
