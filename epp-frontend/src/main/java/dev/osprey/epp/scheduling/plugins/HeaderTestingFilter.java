package dev.osprey.epp.scheduling.plugins;

import dev.osprey.epp.scheduling.framework.CandidateSet;
import dev.osprey.epp.scheduling.framework.CycleState;
import dev.osprey.epp.scheduling.framework.Filter;
import dev.osprey.epp.state.EndpointSnapshot;

/**
 * {@code header-based-testing-filter}: keeps the endpoints listed in request header
 * {@code test-epp-endpoint-selection} (comma-separated {@code ip} or {@code ip:port}); without the header it keeps
 * everything. Immutable.
 */
public final class HeaderTestingFilter extends Named implements Filter {

    static final String HEADER = "test-epp-endpoint-selection";

    public HeaderTestingFilter(String name) {
        super("header-based-testing-filter", name);
    }

    @Override
    public void filter(CycleState cycle, CandidateSet set) {
        String value = cycle.request().headers().get(HEADER);
        if (value == null) {
            return;
        }
        boolean[] keep = cycle.flags(set.size());
        for (String entry : value.split(",")) {
            String want = entry.trim();
            for (int i = 0; i < set.size(); i++) {
                EndpointSnapshot e = set.get(i);
                keep[i] |= want.equals(e.hostPort()) || want.equals(e.address());
            }
        }
        set.retain(keep);
    }
}
