package dev.osprey.allinone.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/**
 * A Deployment or StatefulSet of the manifests with each container's launch and binding.
 *
 * @param document   where it is written
 * @param replicas   {@code spec.replicas} (1 when absent)
 * @param template   its pod template
 * @param containers every container, bound
 */
record Workload(DeployDocument document, int replicas, PodTemplateSpec template, List<Bound> containers) {

    /** One container, how it is launched, and what its component makes of that. */
    record Bound(String where, Container container, ContainerLaunch launch, ComponentBinding binding) {
    }

    /**
     * The workload {@code doc} describes, if it is one.
     *
     * @throws AssertionError naming the container when its component would refuse to start
     */
    static Optional<Workload> of(DeployDocument doc) {
        if (doc.resource() instanceof Deployment d) {
            return Optional.of(of(doc, d.getSpec().getReplicas(), d.getSpec().getTemplate()));
        }
        if (doc.resource() instanceof StatefulSet s) {
            return Optional.of(of(doc, s.getSpec().getReplicas(), s.getSpec().getTemplate()));
        }
        return Optional.empty();
    }

    private static Workload of(DeployDocument doc, Integer replicas, PodTemplateSpec template) {
        List<Bound> bound = new ArrayList<>();
        for (Container c : template.getSpec().getContainers()) {
            String where = doc.describe() + " container " + c.getName();
            ContainerLaunch launch = ContainerLaunch.of(where, c);
            ComponentBinding binding;
            try {
                binding = ComponentBinding.of(launch);
            } catch (IllegalArgumentException e) {
                throw new AssertionError(where + " would not start: " + e.getMessage(), e);
            }
            bound.add(new Bound(where, c, launch, binding));
        }
        return new Workload(doc, replicas == null ? 1 : replicas, template, List.copyOf(bound));
    }
}
