package dev.osprey.collector.discovery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.osprey.api.PoolEndpoint;
import dev.osprey.api.ResourceException;
import dev.osprey.api.ResourceFileSource;
import dev.osprey.api.ResourceSet;
import dev.osprey.collector.publish.MembershipChange;
import dev.osprey.collector.publish.MembershipTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ResourceFileSourceTest {

    private static final Duration POLL = Duration.ofMillis(20);

    @TempDir
    Path dir;

    private static final String POOL = """
            apiVersion: inference.networking.k8s.io/v1
            kind: InferencePool
            metadata: {name: llama, namespace: team-a}
            spec:
              selector: {matchLabels: {app: llama}}
              targetPorts: [{number: 8000}]
            """;

    private static String pod(String name, int ip, boolean ready) {
        return """
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: team-a, labels: {app: llama}}
                status:
                  podIP: 10.0.0.%d
                  conditions: [{type: Ready, status: "%s"}]
                """.formatted(name, ip, ready ? "True" : "False");
    }

    /** Writes the file the way an editor or a ConfigMap update does: a new file moved over the old one. */
    private void write(Path file, String yaml) throws Exception {
        Path next = dir.resolve("next.yaml");
        Files.writeString(next, yaml, StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<String> ids(EndpointSource source) {
        return source.endpoints().stream().map(PoolEndpoint::endpointId).sorted().toList();
    }

    private static List<String> describe(List<MembershipChange> changes) {
        return changes.stream().map(c -> (c instanceof MembershipChange.Removed ? "tombstone " : "upsert ")
                + c.endpointId()).sorted().toList();
    }

    @Test
    void editsOfTheFileBecomeMembershipUpsertsAndTombstones() throws Exception {
        Path file = dir.resolve("resources.yaml");
        write(file, POOL + pod("l-0", 1, true) + pod("l-1", 2, true));
        List<ResourceSet> seen = new CopyOnWriteArrayList<>();
        try (ResourceFileSource resources = ResourceFileSource.start(file, POLL)) {
            resources.subscribe(seen::add);
            ResourceEndpointSource endpoints = new ResourceEndpointSource(resources, "east", Set.of());
            MembershipTracker membership = new MembershipTracker();
            assertThat(describe(membership.update(endpoints.membershipEndpoints())))
                    .containsExactly("upsert east/team-a/l-0:8000", "upsert east/team-a/l-1:8000");

            write(file, POOL + pod("l-0", 1, true) + pod("l-1", 2, false) + pod("l-2", 3, true));
            await().atMost(Duration.ofSeconds(10)).until(() -> ids(endpoints).contains("east/team-a/l-2:8000"));

            assertThat(ids(endpoints)).containsExactly("east/team-a/l-0:8000", "east/team-a/l-2:8000");
            assertThat(describe(membership.update(endpoints.membershipEndpoints())))
                    .containsExactly("tombstone east/team-a/l-1:8000", "upsert east/team-a/l-2:8000");
            assertThat(seen).hasSize(1);

            write(file, POOL + pod("l-2", 3, true));
            await().atMost(Duration.ofSeconds(10)).until(() -> ids(endpoints).size() == 1);

            assertThat(describe(membership.update(endpoints.membershipEndpoints())))
                    .containsExactly("tombstone east/team-a/l-0:8000");
        }
    }

    @Test
    void aMalformedEditIsIgnoredAndTheLastGoodSetKept() throws Exception {
        Path file = dir.resolve("resources.yaml");
        write(file, POOL + pod("l-0", 1, true));
        try (ResourceFileSource resources = ResourceFileSource.start(file, POLL)) {
            ResourceSet good = resources.current();

            write(file, POOL + "---\nkind: Pod\nmetadata: {name: [unclosed\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> resources.rejectedEdits() >= 1);
            write(file, POOL.replace("number: 8000", "number: eighty"));
            await().atMost(Duration.ofSeconds(10)).until(() -> resources.rejectedEdits() >= 2);
            Files.delete(file);
            await().atMost(Duration.ofSeconds(10)).until(() -> resources.rejectedEdits() >= 3);

            assertThat(resources.current()).isSameAs(good);

            write(file, POOL + pod("l-0", 1, true) + pod("l-1", 2, true));
            await().atMost(Duration.ofSeconds(10)).until(() -> resources.current().pods().size() == 2);
        }
    }

    @Test
    void aFileThatDoesNotLoadAtStartFailsTheStart() throws Exception {
        Path file = dir.resolve("broken.yaml");
        write(file, "kind: InferencePool\nspec: [not, a, map\n");

        assertThatThrownBy(() -> ResourceFileSource.start(file, POLL)).isInstanceOf(ResourceException.class);
        assertThatThrownBy(() -> ResourceFileSource.start(dir.resolve("missing.yaml"), POLL))
                .isInstanceOf(ResourceException.class).hasMessageContaining("missing.yaml");
    }
}
