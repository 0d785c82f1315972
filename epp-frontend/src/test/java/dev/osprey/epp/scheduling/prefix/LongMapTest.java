package dev.osprey.epp.scheduling.prefix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongMapTest {

    @Test
    void behavesLikeAHashMapUnderRandomPutsAndRemoves() {
        LongMap<String> map = new LongMap<>(4);
        Map<Long, String> model = new HashMap<>();
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 50_000; i++) {
            long k = rnd.nextInt(2_000) * 0x100000001L; // colliding low bits on purpose
            if (rnd.nextInt(3) == 0) {
                map.remove(k);
                model.remove(k);
            } else {
                String v = "v" + i;
                map.put(k, v);
                model.put(k, v);
            }
        }
        assertThat(map.size()).isEqualTo(model.size());
        for (int k = 0; k < 2_000; k++) {
            long key = k * 0x100000001L;
            assertThat(map.get(key)).isEqualTo(model.get(key));
        }
    }
}
