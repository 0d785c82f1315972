package dev.osprey.epp.scheduling.plugins;

import dev.osprey.epp.scheduling.framework.CycleState;
import dev.osprey.epp.scheduling.framework.ProfileHandler;
import dev.osprey.epp.scheduling.framework.ProfileResult;
import dev.osprey.epp.scheduling.framework.SchedulerProfile;
import java.util.List;
import java.util.Map;

/** {@code single-profile-handler}: runs every profile once; the (single) result is primary. Immutable. */
public final class SingleProfileHandler extends Named implements ProfileHandler {

    public SingleProfileHandler(String name) {
        super("single-profile-handler", name);
    }

    @Override
    public List<SchedulerProfile> pick(CycleState cycle, Map<String, SchedulerProfile> profiles,
            Map<String, ProfileResult> done) {
        return done.isEmpty() ? List.copyOf(profiles.values()) : List.of();
    }

    @Override
    public String primary(Map<String, ProfileResult> results) {
        return results.keySet().iterator().next();
    }
}
