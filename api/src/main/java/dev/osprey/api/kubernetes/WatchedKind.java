package dev.osprey.api.kubernetes;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.osprey.api.InferenceModel;
import dev.osprey.api.InferenceModelRewrite;
import dev.osprey.api.InferenceObjective;
import dev.osprey.api.InferencePool;
import dev.osprey.api.ResourceMapping;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * One custom resource kind at one API version that discovery watches, with the mapping from its JSON to a record.
 *
 * @param apiVersion {@code group/version}
 * @param kind       the resource kind
 * @param plural     the REST plural (given, so no API discovery round trip is needed)
 * @param mapper     JSON object → record; throws {@link IllegalArgumentException} naming a bad field
 * @param <T>        the record type
 */
record WatchedKind<T>(String apiVersion, String kind, String plural, Function<JsonNode, T> mapper) {

    static final WatchedKind<InferencePool> POOL_V1 = new WatchedKind<>(ResourceMapping.V1, "InferencePool",
            "inferencepools", doc -> ResourceMapping.pool(doc, ResourceMapping.V1));
    static final WatchedKind<InferencePool> POOL_V1ALPHA2 = new WatchedKind<>(ResourceMapping.V1ALPHA2,
            "InferencePool", "inferencepools", doc -> ResourceMapping.pool(doc, ResourceMapping.V1ALPHA2));
    static final WatchedKind<InferenceModel> MODEL = new WatchedKind<>(ResourceMapping.V1ALPHA2, "InferenceModel",
            "inferencemodels", doc -> ResourceMapping.model(doc, ResourceMapping.V1ALPHA2));
    static final WatchedKind<InferenceObjective> OBJECTIVE = new WatchedKind<>(ResourceMapping.V1ALPHA2,
            "InferenceObjective", "inferenceobjectives",
            doc -> ResourceMapping.objective(doc, ResourceMapping.V1ALPHA2));
    static final WatchedKind<InferenceModelRewrite> REWRITE = new WatchedKind<>(ResourceMapping.V1ALPHA2,
            "InferenceModelRewrite", "inferencemodelrewrites",
            doc -> ResourceMapping.rewrite(doc, ResourceMapping.V1ALPHA2));

    /** Every custom kind discovery watches. */
    static final List<WatchedKind<?>> ALL = List.of(POOL_V1, POOL_V1ALPHA2, MODEL, OBJECTIVE, REWRITE);

    /** The fabric8 context addressing this kind without API discovery. */
    ResourceDefinitionContext context() {
        int slash = apiVersion.indexOf('/');
        return new ResourceDefinitionContext.Builder()
                .withGroup(apiVersion.substring(0, slash))
                .withVersion(apiVersion.substring(slash + 1))
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }

    /** {@code Kind apiVersion}, for log lines. */
    String describe() {
        return kind + " " + apiVersion;
    }
}
