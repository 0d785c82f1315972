package dev.osprey.api;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part every changing {@link ResourceSource} shares: the current set and its subscribers. {@link #publish}
 * replaces the set only when it differs, and hands it to every listener; a failing listener is logged and the
 * others still get the set. Thread-safe.
 */
public final class ResourceSetPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceSetPublisher.class);

    private final String source;
    private final List<Consumer<ResourceSet>> listeners = new CopyOnWriteArrayList<>();
    private volatile ResourceSet current;

    /** @param source names the source in log lines */
    public ResourceSetPublisher(String source, ResourceSet initial) {
        this.source = Objects.requireNonNull(source, "source");
        this.current = Objects.requireNonNull(initial, "initial");
    }

    public ResourceSet current() {
        return current;
    }

    public void subscribe(Consumer<ResourceSet> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @return whether {@code next} differed from the current set (and so was published) */
    public boolean publish(ResourceSet next) {
        if (next.equals(current)) {
            return false;
        }
        current = next;
        for (Consumer<ResourceSet> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.warn("a listener of {} failed; other listeners still get the set", source, e);
            }
        }
        return true;
    }
}
