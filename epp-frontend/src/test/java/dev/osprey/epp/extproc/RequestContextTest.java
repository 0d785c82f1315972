package dev.osprey.epp.extproc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestContextTest {

    @Test
    void generatedRequestIdsAreDistinctVersion4Uuids() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            RequestContext ctx = new RequestContext(Map.of(":path", "/v1/completions"), SubsetHint.ALL);
            assertThat(ctx.requestIdGenerated()).isTrue();
            UUID id = UUID.fromString(ctx.requestId());
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).isEqualTo(2);
            seen.add(ctx.requestId());
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void givenRequestIdIsKept() {
        RequestContext ctx = new RequestContext(Map.of("x-request-id", "abc"), SubsetHint.ALL);
        assertThat(ctx.requestId()).isEqualTo("abc");
        assertThat(ctx.requestIdGenerated()).isFalse();
    }
}
