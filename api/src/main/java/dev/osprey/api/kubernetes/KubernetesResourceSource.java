package dev.osprey.api.kubernetes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.osprey.api.InferenceModel;
import dev.osprey.api.InferenceModelRewrite;
import dev.osprey.api.InferenceObjective;
import dev.osprey.api.InferencePool;
import dev.osprey.api.Pod;
import dev.osprey.api.ResourceException;
import dev.osprey.api.ResourceMapping;
import dev.osprey.api.ResourceSet;
import dev.osprey.api.ResourceSetPublisher;
import dev.osprey.api.ResourceSource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ResourceSource} that watches a cluster through fabric8 informers: InferencePool
 * ({@code inference.networking.k8s.io/v1} and {@code inference.networking.x-k8s.io/v1alpha2}), InferenceModel,
 * InferenceObjective, InferenceModelRewrite ({@code v1alpha2}) and Pods, in one namespace or all.
 *
 * <p>Every informer event maps only the changed object (with {@link ResourceMapping}, the same mapping as resource
 * files) and requests a rebuild; rebuilds run on one discovery thread and coalesce bursts, so a thousand pod events
 * cost a handful of {@link ResourceSet} builds. A new set that differs from the last one becomes {@link #current()}
 * and is handed to every subscriber on that thread. An object with a bad field is logged and skipped; the rest of
 * the set is unaffected. A custom kind the API server does not serve (CRD not installed) is logged and ignored;
 * failing to list Pods fails {@link #start}.
 *
 * <p>Thread-safe. {@link #close()} stops the informers and the discovery thread; it does not close the client.
 */
public final class KubernetesResourceSource implements ResourceSource {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesResourceSource.class);

    private final ExecutorService rebuilder;
    private final AtomicBoolean rebuildPending = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong rejected = new AtomicLong();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final MappedStore<GenericKubernetesResource, InferencePool> poolsV1;
    private final MappedStore<GenericKubernetesResource, InferencePool> poolsV1alpha2;
    private final MappedStore<GenericKubernetesResource, InferenceModel> models;
    private final MappedStore<GenericKubernetesResource, InferenceObjective> objectives;
    private final MappedStore<GenericKubernetesResource, InferenceModelRewrite> rewrites;
    private final MappedStore<io.fabric8.kubernetes.api.model.Pod, Pod> pods;
    private final ResourceSetPublisher sets = new ResourceSetPublisher("Kubernetes discovery", ResourceSet.empty());

    private KubernetesResourceSource(KubernetesClient client) {
        this.rebuilder = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "osprey-kubernetes-discovery");
            thread.setDaemon(true);
            return thread;
        });
        this.poolsV1 = store(client, WatchedKind.POOL_V1);
        this.poolsV1alpha2 = store(client, WatchedKind.POOL_V1ALPHA2);
        this.models = store(client, WatchedKind.MODEL);
        this.objectives = store(client, WatchedKind.OBJECTIVE);
        this.rewrites = store(client, WatchedKind.REWRITE);
        this.pods = new MappedStore<>("Pod", ResourceMapping::pod, client.getKubernetesSerialization(),
                this::requestRebuild, rejected);
    }

    /**
     * Starts watching and waits until every informer has listed its kind, so {@link #current()} is complete when
     * this returns.
     *
     * @param client      a connected client (not closed by this source)
     * @param namespace   the namespace to watch; empty for all namespaces
     * @param syncTimeout how long to wait for the initial lists
     * @throws ResourceException when Pods cannot be listed or the initial lists do not finish in time
     */
    public static KubernetesResourceSource start(KubernetesClient client, Optional<String> namespace,
            Duration syncTimeout) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(syncTimeout, "syncTimeout");
        KubernetesResourceSource source = new KubernetesResourceSource(client);
        try {
            source.startInformers(client, namespace, syncTimeout);
            source.rebuilder.submit(source::rebuild).get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            source.close();
            throw new ResourceException("interrupted while starting Kubernetes discovery", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            source.close();
            throw e instanceof ResourceException re ? re
                    : new ResourceException("Kubernetes discovery failed to start: " + e, e);
        }
        LOG.info("Kubernetes discovery started in {}: {} pools, {} pods", namespace.orElse("all namespaces"),
                source.current().pools().size(), source.current().pods().size());
        return source;
    }

    @Override
    public ResourceSet current() {
        return sets.current();
    }

    @Override
    public void subscribe(Consumer<ResourceSet> listener) {
        sets.subscribe(listener);
    }

    /** How many object versions were skipped because they did not map (bad fields) since start. */
    public long rejectedObjects() {
        return rejected.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (informers) {
            informers.forEach(SharedIndexInformer::stop);
        }
        rebuilder.shutdownNow();
    }

    private void startInformers(KubernetesClient client, Optional<String> namespace, Duration syncTimeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<CompletableFuture<Void>> custom = new ArrayList<>();
        List<WatchedKind<?>> kinds = WatchedKind.ALL;
        List<MappedStore<GenericKubernetesResource, ?>> stores = List.of(poolsV1, poolsV1alpha2, models, objectives,
                rewrites);
        for (int i = 0; i < kinds.size(); i++) {
            WatchedKind<?> kind = kinds.get(i);
            var operation = client.genericKubernetesResources(kind.context());
            Informable<GenericKubernetesResource> scope = namespace.isPresent()
                    ? operation.inNamespace(namespace.get()) : operation.inAnyNamespace();
            custom.add(start(scope, stores.get(i)).toCompletableFuture().handle((ok, failure) -> {
                if (failure != null) {
                    LOG.warn("not watching {}: the API server did not list it ({}); is its CRD installed?",
                            kind.describe(), failure.getMessage());
                }
                return null;
            }));
        }
        Informable<io.fabric8.kubernetes.api.model.Pod> podScope = namespace.isPresent()
                ? client.pods().inNamespace(namespace.get()) : client.pods().inAnyNamespace();
        CompletableFuture<Void> podsSynced = start(podScope, pods).toCompletableFuture();
        long deadline = System.nanoTime() + syncTimeout.toNanos();
        try {
            podsSynced.get(syncTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new ResourceException("cannot list Pods in " + namespace.orElse("all namespaces") + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
        CompletableFuture.allOf(custom.toArray(CompletableFuture[]::new))
                .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private <K extends HasMetadata> CompletionStage<Void> start(Informable<K> scope,
            MappedStore<K, ?> store) {
        SharedIndexInformer<K> informer = scope.runnableInformer(0);
        informer.addEventHandler(store);
        synchronized (informers) {
            informers.add(informer);
        }
        return informer.start();
    }

    private <T> MappedStore<GenericKubernetesResource, T> store(KubernetesClient client, WatchedKind<T> kind) {
        return new MappedStore<>(kind.describe(), kind.mapper(), client.getKubernetesSerialization(),
                this::requestRebuild, rejected);
    }

    private void requestRebuild() {
        if (!closed.get() && rebuildPending.compareAndSet(false, true)) {
            try {
                rebuilder.execute(this::rebuild);
            } catch (RejectedExecutionException e) {
                LOG.debug("discovery closed; dropping a rebuild request");
            }
        }
    }

    private void rebuild() {
        rebuildPending.set(false);
        List<InferencePool> pools = new ArrayList<>(poolsV1.snapshot());
        pools.addAll(poolsV1alpha2.snapshot());
        ResourceSet next = new ResourceSet(pools, models.snapshot(), pods.snapshot(), objectives.snapshot(),
                rewrites.snapshot());
        sets.publish(next);
    }
}
