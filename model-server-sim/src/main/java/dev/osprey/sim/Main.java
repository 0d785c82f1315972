package dev.osprey.sim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Command line: starts one or more simulated model servers and runs until interrupted. Exit status
 * 0 after {@code --help} or a clean shutdown, 2 for a bad flag, 1 if a port cannot be bound.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws InterruptedException {
    CliArguments.Parsed parsed;
    try {
      parsed = CliArguments.parse(args);
    } catch (CliArguments.CliException e) {
      System.err.println("model-server-sim: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (parsed.help()) {
      System.out.print(CliArguments.help());
      return;
    }
    List<ModelServerSim> servers = new ArrayList<>();
    try {
      for (SimConfig config : parsed.replicas()) {
        servers.add(ModelServerSim.start(config));
      }
    } catch (IOException e) {
      servers.forEach(ModelServerSim::close);
      System.err.println("model-server-sim: cannot bind: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      servers.forEach(ModelServerSim::close);
      stopped.countDown();
    }, "sim-shutdown"));
    SimConfig first = parsed.replicas().get(0);
    System.out.println("model-server-sim ready: model=" + first.modelName() + " profile="
        + first.profile().name() + " metrics=" + first.metricsDialect().cliName() + " at "
        + servers.stream().map(ModelServerSim::baseUrl).collect(Collectors.joining(" ")));
    System.out.flush();
    stopped.await();
  }
}
