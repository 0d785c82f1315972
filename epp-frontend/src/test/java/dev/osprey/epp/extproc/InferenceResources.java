package dev.osprey.epp.extproc;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Locale;

/** Creates {@code inference.networking.x-k8s.io/v1alpha2} resources on a (mock) API server from YAML text. */
final class InferenceResources {

    private InferenceResources() {
    }

    /** Creates every document of {@code yaml} (separated by {@code ---} lines) in {@code namespace}. */
    static void create(KubernetesClient client, String namespace, String yaml) {
        for (String document : yaml.split("---\n")) {
            GenericKubernetesResource resource = client.getKubernetesSerialization().unmarshal(document,
                    GenericKubernetesResource.class);
            client.genericKubernetesResources(new ResourceDefinitionContext.Builder()
                    .withGroup("inference.networking.x-k8s.io").withVersion("v1alpha2").withKind(resource.getKind())
                    .withPlural(resource.getKind().toLowerCase(Locale.ROOT) + "s").withNamespaced(true).build())
                    .inNamespace(namespace).resource(resource).create();
        }
    }
}
