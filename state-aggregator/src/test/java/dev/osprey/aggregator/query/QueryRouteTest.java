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

    @Test
    void parsesPrefixQueriesWithTheirHashesInRequestOrder() {
        assertThat(QueryRoute.parse("/pools/c1%2Fns%2Fp/prefixes", "hashes=3,-1,%2012&other=x"))
                .contains(new QueryRoute.Prefixes("c1/ns/p", java.util.List.of(3L, -1L, 12L)));
        assertThat(QueryRoute.parse("/pools/p/prefixes/", null))
                .contains(new QueryRoute.Prefixes("p", java.util.List.of()));
        assertThat(QueryRoute.parse("/pools/p/prefixes", "hashes=1,x")).isEmpty();
        assertThat(QueryRoute.parse("/pools/p/prefixes/more", "hashes=1")).isEmpty();
        assertThat(QueryRoute.parse("/pools/p", "hashes=1")).contains(new QueryRoute.Pool("p"));
        QueryRoute route = new QueryRoute.Prefixes("c1/ns/pool a", java.util.List.of(Long.MIN_VALUE, 7L));
        String path = route.path();
        int query = path.indexOf('?');
        assertThat(QueryRoute.parse(path.substring(0, query), path.substring(query + 1))).contains(route);
    }
}
