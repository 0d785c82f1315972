package dev.osprey.epp.scheduling.framework;

import java.util.List;
import java.util.Map;

/** Decides which profiles run for a request and which result is primary. Thread-safe. */
public interface ProfileHandler extends Plugin {

    /**
     * The profiles to run next, given those already run; empty ends the loop.
     *
     * @param done results so far, by profile name
     */
    List<SchedulerProfile> pick(CycleState cycle, Map<String, SchedulerProfile> profiles,
            Map<String, ProfileResult> done);

    /** The name of the primary profile among {@code results}. */
    String primary(Map<String, ProfileResult> results);
}
