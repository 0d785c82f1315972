package dev.osprey.aggregator.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryRouteTest {

    @Test
    void decodesPercentEncodedIdsFromSingleSegments() {
        assertThat(QueryRoute.parse("/pools/c1%2Fns%2Fpool-a")).contains(new QueryRoute.Pool("c1/ns/pool-a"));
        assertThat(QueryRoute.parse("/pools/c1%2Fns%2Fpool-a/endpoints/c1%2Fns%2Fpod+1%3A8000"))
                .contains(new QueryRoute.Endpoint("c1/ns/pool-a", "c1/ns/pod+1:8000"));
        assertThat(QueryRoute.parse("/pools/p/adapters/sql%20lora/"))
                .contains(new QueryRoute.Adapter("p", "sql lora"));
    }

    @Test
    void rejectsOtherPaths() {
        assertThat(QueryRoute.parse("/")).isEmpty();
        assertThat(QueryRoute.parse("/pools/")).isEmpty();
        assertThat(QueryRoute.parse("/pools/p/endpoints")).isEmpty();
        assertThat(QueryRoute.parse("/pools/p/models/m")).isEmpty();
        assertThat(QueryRoute.parse("/pools/%zz")).isEmpty();
        assertThat(QueryRoute.parse("/metrics")).isEmpty();
    }

    @Test
    void pathRoundTripsThroughParse() {
        QueryRoute route = new QueryRoute.Endpoint("c1/ns/pool a", "c1/ns/pod+1:8000");
        assertThat(QueryRoute.parse(route.path())).contains(route);
    }
}
