package dev.osprey.schemas.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LaunchTest {

    @Test
    void closesEveryPartInOrderSkippingNullsAndCarryingOnPastOneThatFails() {
        List<String> closed = new ArrayList<>();
        AutoCloseable first = () -> closed.add("first");
        AutoCloseable failing = () -> {
            closed.add("failing");
            throw new IllegalStateException("cannot close");
        };
        AutoCloseable last = () -> closed.add("last");

        Launch.closeAll(LoggerFactory.getLogger(LaunchTest.class), first, null, failing, last);

        assertThat(closed).containsExactly("first", "failing", "last");
    }

    @Test
    void aReaderThatSucceedsReturnsItsValue() {
        assertThat(Launch.readOrExit("test", () -> 42)).isEqualTo(42);
    }
}
