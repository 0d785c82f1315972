package dev.osprey.epp.scheduling.framework;

import dev.osprey.epp.state.EndpointSnapshot;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one profile run.
 *
 * @param chosen endpoints in preference order; empty when the profile failed
 * @param failure why it failed (everything filtered out, or shed); empty on success
 * @param shed whether a filter asked for the request to be dropped
 * @param scored the candidates scored, with their totals (for explanations)
 */
public record ProfileResult(String profile, List<EndpointSnapshot> chosen, Optional<String> failure, boolean shed,
        ScoreTable scored) {

    public ProfileResult {
        Objects.requireNonNull(profile, "profile");
        chosen = List.copyOf(chosen);
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(scored, "scored");
    }
}
