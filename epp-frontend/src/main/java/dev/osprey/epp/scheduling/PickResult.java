package dev.osprey.epp.scheduling;

import dev.osprey.epp.state.EndpointSnapshot;
import java.util.List;
import java.util.Objects;

/** The typed outcome of one scheduling attempt. */
public sealed interface PickResult {

    /**
     * An endpoint was chosen.
     *
     * @param primary the endpoint to send the request to
     * @param fallbacks further endpoints in preference order (possibly empty)
     * @param loads per-endpoint score of the candidates considered (the profile's total score, or the effective
     *     load for the least-load picker), keyed by endpoint id, for decision records; may list only the best ones
     * @param explanation why the primary won
     * @param prefixHashes the request's prompt-prefix block hashes recorded against the primary (for the shared
     *     prefix index); {@link BlockHashes#NONE} when the profile does not track prefixes
     */
    record Picked(EndpointSnapshot primary, List<EndpointSnapshot> fallbacks, java.util.Map<String, Double> loads,
            Explanation explanation, BlockHashes prefixHashes) implements PickResult {

        public Picked {
            Objects.requireNonNull(primary, "primary");
            Objects.requireNonNull(explanation, "explanation");
            Objects.requireNonNull(prefixHashes, "prefixHashes");
            fallbacks = List.copyOf(fallbacks);
            loads = java.util.Map.copyOf(loads);
        }

        /** A pick that recorded no prefix hashes. */
        public Picked(EndpointSnapshot primary, List<EndpointSnapshot> fallbacks, java.util.Map<String, Double> loads,
                Explanation explanation) {
            this(primary, fallbacks, loads, explanation, BlockHashes.NONE);
        }

        /** A pick by the least-load picker. */
        public Picked(EndpointSnapshot primary, List<EndpointSnapshot> fallbacks, java.util.Map<String, Double> loads) {
            this(primary, fallbacks, loads, Explanation.of("least-load", "lowest effective load"));
        }

        /** Primary then fallbacks as {@code ip:port}, comma separated: the destination header value. */
        public String destination() {
            StringBuilder sb = new StringBuilder(primary.hostPort());
            for (EndpointSnapshot f : fallbacks) {
                sb.append(',').append(f.hostPort());
            }
            return sb.toString();
        }
    }

    /** No endpoint can take the request (503). */
    record NoCandidates(String reason) implements PickResult {

        public NoCandidates {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The request was shed because every candidate is saturated (429). */
    record Shed(String reason) implements PickResult {

        public Shed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
