package dev.osprey.sim.serving;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The names a server answers to: its base model and the LoRA adapters registered with it (vLLM's
 * {@code --lora-modules} and {@code /v1/load_lora_adapter}). Thread-safe.
 */
public final class ServedModels {

  private final String baseModel;
  private final ConcurrentSkipListMap<String, String> adapters = new ConcurrentSkipListMap<>();

  /**
   * @param baseModel name of the base model
   * @param initialAdapters adapters served from start-up; their path is their name
   */
  public ServedModels(String baseModel, Collection<String> initialAdapters) {
    this.baseModel = Objects.requireNonNull(baseModel, "baseModel");
    initialAdapters.forEach(a -> adapters.put(a, a));
  }

  /** Name of the base model. */
  public String baseModel() {
    return baseModel;
  }

  /** True if {@code name} is the base model or a registered adapter. */
  public boolean serves(String name) {
    return baseModel.equals(name) || adapters.containsKey(name);
  }

  /** True if {@code name} is a registered adapter. */
  public boolean isAdapter(String name) {
    return adapters.containsKey(name);
  }

  /**
   * Registers an adapter.
   *
   * @return false if the name is already taken (by the base model or an adapter)
   */
  public boolean register(String name, String path) {
    if (baseModel.equals(name)) {
      return false;
    }
    return adapters.putIfAbsent(name, path == null ? name : path) == null;
  }

  /** Removes an adapter; false if it was not registered. */
  public boolean unregister(String name) {
    return adapters.remove(name) != null;
  }

  /** Registered adapters and their paths, sorted by name. */
  public List<Adapter> adapters() {
    List<Adapter> out = new ArrayList<>();
    adapters.forEach((name, path) -> out.add(new Adapter(name, path)));
    return out;
  }

  /** One registered adapter. */
  public record Adapter(String name, String path) {
  }
}
