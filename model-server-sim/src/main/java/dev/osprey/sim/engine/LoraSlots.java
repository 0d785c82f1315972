package dev.osprey.sim.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/** GPU-resident LoRA adapters: {@code maxLoras} slots replaced least recently used first. */
final class LoraSlots {

  private final int slots;
  private final LinkedHashMap<String, Boolean> resident = new LinkedHashMap<>(16, 0.75f, true);

  LoraSlots(int slots) {
    this.slots = slots;
  }

  /**
   * Makes every adapter of a batch resident.
   *
   * @param batch distinct adapters of the step, at most {@code slots} of them
   * @return how many had to be loaded
   */
  int activate(Set<String> batch) {
    int loads = 0;
    for (String adapter : batch) {
      if (resident.get(adapter) != null) {
        continue;
      }
      if (resident.size() >= slots) {
        Iterator<String> lru = resident.keySet().iterator();
        while (lru.hasNext()) {
          if (!batch.contains(lru.next())) {
            lru.remove();
            break;
          }
        }
      }
      resident.put(adapter, Boolean.TRUE);
      loads++;
    }
    return loads;
  }

  /** Resident adapters, least recently used first. */
  List<String> resident() {
    return new ArrayList<>(resident.keySet());
  }
}
