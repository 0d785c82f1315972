package dev.osprey.allinone;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

import dev.osprey.schemas.launch.Launch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar osprey-all-in-one.jar}: see {@link AllInOneCli#USAGE}. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        AllInOneCli.Parsed parsed = AllInOneCli.parse(args);
        if (parsed instanceof AllInOneCli.Help) {
            System.out.print(AllInOneCli.USAGE);
            return;
        }
        if (parsed instanceof AllInOneCli.Invalid invalid) {
            System.err.println("error: " + invalid.message());
            System.err.println("Run with --help for the options.");
            System.exit(Launch.BAD_CONFIGURATION);
            return;
        }
        AllInOneConfig config = ((AllInOneCli.Run) parsed).config();
        AllInOne osprey;
        try {
            osprey = AllInOne.start(config);
        } catch (IOException | RuntimeException e) {
            Launch.failStart(LOG, "Osprey", e);
            return;
        }
        CountDownLatch stopped = Launch.onShutdown("osprey-shutdown", () -> {
            System.out.println("Osprey stopping...");
            osprey.close();
            System.out.println("Osprey stopped.");
        });
        System.out.printf("Osprey ready in %d ms: gateway http://%s:%d, EPP ext-proc :%d, health :%d, "
                        + "%d simulator(s) %s, model \"%s\", Kafka %s, schema registry %s%n",
                osprey.startupTime().toMillis(), osprey.gatewayAddress().getHostString(),
                osprey.gatewayAddress().getPort(), osprey.eppGrpcPort(), osprey.eppHealthPort(),
                osprey.simulators().size(), osprey.simulatorEndpoints(), osprey.modelName(),
                osprey.bootstrapServers(), osprey.schemaRegistryUrl());
        stopped.await();
    }
}
