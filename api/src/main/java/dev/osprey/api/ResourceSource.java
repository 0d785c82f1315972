package dev.osprey.api;

import java.util.function.Consumer;

/**
 * Where the current {@link ResourceSet} comes from: a file (fixed) or a cluster (changing). Implementations are
 * thread-safe; listeners run on the source's own thread and must not block.
 */
public interface ResourceSource extends AutoCloseable {

    /** The newest complete set; never null. */
    ResourceSet current();

    /** Calls {@code listener} with every later set (not the current one). */
    void subscribe(Consumer<ResourceSet> listener);

    /** Stops watching; the default does nothing. */
    @Override
    default void close() {
    }

    /** A source that never changes. */
    static ResourceSource fixed(ResourceSet resources) {
        return new ResourceSource() {
            @Override
            public ResourceSet current() {
                return resources;
            }

            @Override
            public void subscribe(Consumer<ResourceSet> listener) {
                // a fixed set never changes
            }
        };
    }
}
