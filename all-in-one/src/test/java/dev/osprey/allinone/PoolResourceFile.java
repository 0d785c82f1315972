package dev.osprey.allinone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the resource file end-to-end tests start the all-in-one with: one InferencePool and one InferenceModel. */
public final class PoolResourceFile {

    private PoolResourceFile() {
    }

    /**
     * Writes {@code dir/resources.yaml}: InferencePool {@code <prefix>-pool} in namespace {@code prefix} selecting
     * {@code app=<prefix>-sim} on {@code port}, and InferenceModel {@code <prefix>-model} serving model
     * {@code <prefix>-llm} from it.
     */
    public static Path write(Path dir, String prefix, int port) throws IOException {
        Path resources = dir.resolve("resources.yaml");
        Files.writeString(resources, """
                apiVersion: inference.networking.k8s.io/v1
                kind: InferencePool
                metadata: {name: %1$s-pool, namespace: %1$s}
                spec:
                  selector: {matchLabels: {app: %1$s-sim}}
                  targetPorts: [{number: %2$d}]
                ---
                apiVersion: inference.networking.x-k8s.io/v1alpha2
                kind: InferenceModel
                metadata: {name: %1$s-model, namespace: %1$s}
                spec: {modelName: %1$s-llm, poolRef: {name: %1$s-pool}}
                """.formatted(prefix, port));
        return resources;
    }
}
