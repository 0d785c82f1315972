package dev.osprey.epp.request;

import dev.osprey.api.ResourceSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The current {@link PoolResources} of one pool, following a {@link ResourceSource}: each new resource set is
 * derived once on the source's thread and swapped in atomically, so requests see either the old or the new set,
 * never a mix. Thread-safe.
 */
public final class PoolResourcesView implements Supplier<PoolResources> {

    private final AtomicReference<PoolResources> current;

    private PoolResourcesView(PoolResources initial) {
        this.current = new AtomicReference<>(initial);
    }

    /** A view of pool {@code namespace/poolName} that follows {@code source} from now on. */
    public static PoolResourcesView follow(ResourceSource source, String namespace, String poolName) {
        Objects.requireNonNull(source, "source");
        PoolResourcesView view = new PoolResourcesView(PoolResources.of(source.current(), namespace, poolName));
        source.subscribe(set -> view.current.set(PoolResources.of(set, namespace, poolName)));
        return view;
    }

    @Override
    public PoolResources get() {
        return current.get();
    }
}
