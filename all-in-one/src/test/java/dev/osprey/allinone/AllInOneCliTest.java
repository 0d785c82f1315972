package dev.osprey.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AllInOneCliTest {

    @Test
    void defaultsMatchTheDocumentedPorts() {
        AllInOneCli.Parsed parsed = AllInOneCli.parse(new String[0]);

        assertThat(parsed).isInstanceOf(AllInOneCli.Run.class);
        AllInOneConfig config = ((AllInOneCli.Run) parsed).config();
        assertThat(config.simulators()).isEqualTo(4);
        assertThat(config.gatewayPort()).isEqualTo(8080);
        assertThat(config.grpcPort()).isEqualTo(9002);
        assertThat(config.healthPort()).isEqualTo(9003);
        assertThat(config.metricsPort()).isEqualTo(9090);
        assertThat(config.resourceFile()).isEmpty();
    }

    @Test
    void flagsOverrideDefaults() {
        AllInOneCli.Parsed parsed = AllInOneCli.parse(new String[] {"--simulators", "2", "--gateway-port", "18080",
                "--pool", "ns/p", "--metrics-port", "-1"});

        AllInOneConfig config = ((AllInOneCli.Run) parsed).config();
        assertThat(config.simulators()).isEqualTo(2);
        assertThat(config.gatewayPort()).isEqualTo(18080);
        assertThat(config.pool()).hasValue("ns/p");
        assertThat(config.metricsPort()).isEqualTo(-1);
    }

    @Test
    void simulatorSchedulerAndScrapeFlagsReachTheConfig() {
        AllInOneCli.Parsed parsed = AllInOneCli.parse(new String[] {"--sim-profile", "h100-8b", "--sim-kv-blocks",
                "8000", "--sim-max-loras", "3", "--sim-lora-adapters", "a, b", "--sim-max-model-len", "16384",
                "--scheduler", "upstream-default", "--scrape-interval-ms", "100", "--sim-slowdown", "2",
                "--sim-lora-load-ms", "20"});

        AllInOneConfig config = ((AllInOneCli.Run) parsed).config();
        SimulatorSettings sim = config.simulatorSettings();
        assertThat(sim.profile()).isEqualTo("h100-8b");
        assertThat(sim.simConfig("127.0.0.1", 8000, "m").numGpuBlocks()).isEqualTo(8000);
        assertThat(sim.simConfig("127.0.0.1", 8000, "m").maxNumSeqs()).isEqualTo(256);
        assertThat(sim.maxLoras()).isEqualTo(3);
        assertThat(sim.loraAdapters()).containsExactly("a", "b");
        assertThat(sim.maxModelLen()).isEqualTo(16384);
        assertThat(sim.simConfig("127.0.0.1", 8000, "m").profile().stepBaseMillis())
                .isEqualTo(2 * dev.osprey.sim.engine.LatencyProfile.H100_8B.stepBaseMillis());
        assertThat(sim.simConfig("127.0.0.1", 8000, "m").profile().requestOverhead())
                .isEqualTo(java.time.Duration.ofMillis(140));
        assertThat(sim.simConfig("127.0.0.1", 8000, "m").loraLoadTime()).isEqualTo(java.time.Duration.ofMillis(40));
        assertThat(config.scheduler()).isEqualTo("upstream-default");
        assertThat(config.scrapeInterval()).isEqualTo(java.time.Duration.ofMillis(100));
    }

    @Test
    void defaultSimulatorsKeepTheTestProfileAndOspreysScheduler() {
        AllInOneConfig config = AllInOneConfig.defaults();

        assertThat(config.simulatorSettings().simConfig("127.0.0.1", 8000, "m").numGpuBlocks()).isEqualTo(4096);
        assertThat(config.scheduler()).isEqualTo("osprey-default");
        assertThat(config.scrapeInterval()).isEqualTo(java.time.Duration.ofMillis(50));
    }

    @Test
    void badSimulatorAndSchedulerValuesNameTheFlag() {
        assertThat(AllInOneCli.parse(new String[] {"--sim-profile", "a100"})).isInstanceOf(AllInOneCli.Invalid.class)
                .extracting(p -> ((AllInOneCli.Invalid) p).message()).asString().startsWith("--sim-profile");
        assertThat(AllInOneCli.parse(new String[] {"--sim-kv-blocks", "-1"})).isEqualTo(new AllInOneCli.Invalid(
                "--sim-kv-blocks must be 0 (the profile's) or more, got -1"));
        assertThat(AllInOneCli.parse(new String[] {"--scheduler", "best-ever"})).isInstanceOf(AllInOneCli.Invalid.class)
                .extracting(p -> ((AllInOneCli.Invalid) p).message()).asString().startsWith("--scheduler");
        assertThat(AllInOneCli.parse(new String[] {"--scrape-interval-ms", "0"})).isEqualTo(new AllInOneCli.Invalid(
                "--scrape-interval-ms must be positive, got 0"));
        assertThat(AllInOneCli.parse(new String[] {"--sim-slowdown", "0.5"})).isEqualTo(new AllInOneCli.Invalid(
                "--sim-slowdown must be in [1, 100], got 0.5"));
        assertThat(AllInOneCli.parse(new String[] {"--sim-slowdown", "slow"})).isEqualTo(new AllInOneCli.Invalid(
                "--sim-slowdown must be a number, got slow"));
    }

    @Test
    void aBadEndpointPickerConfigFileIsRejectedNamingTheFlag(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("epc.yaml");
        java.nio.file.Files.writeString(file, "apiVersion: inference.networking.x-k8s.io/v1alpha1\n"
                + "kind: EndpointPickerConfig\nplugins: [{name: x, type: no-such-plugin}]\n");

        assertThat(AllInOneCli.parse(new String[] {"--scheduler", file.toString()}))
                .isInstanceOf(AllInOneCli.Invalid.class)
                .extracting(p -> ((AllInOneCli.Invalid) p).message()).asString().startsWith("--scheduler: ");
    }

    @Test
    void furtherEppSettingsAreValidatedAndApplied() {
        AllInOneConfig config = ((AllInOneCli.Run) AllInOneCli.parse(new String[] {"--epp",
                "osprey.epp.saturation.queue-depth=9"})).config();

        assertThat(config.applyEppSettings(dev.osprey.epp.EppConfig.defaults("k:9092", "ns", "p"))
                .saturationQueueDepth()).isEqualTo(9);
        assertThat(AllInOneCli.parse(new String[] {"--epp", "osprey.epp.nope=1"}))
                .isEqualTo(new AllInOneCli.Invalid("--epp: unknown EPP setting osprey.epp.nope (docs/configuration.md)"));
        assertThat(AllInOneCli.parse(new String[] {"--epp", "osprey.epp.grpc-port=1"}))
                .isEqualTo(new AllInOneCli.Invalid("--epp: osprey.epp.grpc-port is set by the all-in-one itself"));
        assertThat(AllInOneCli.parse(new String[] {"--epp", "osprey.epp.saturation.queue-depth=0"}))
                .isInstanceOf(AllInOneCli.Invalid.class);
        assertThat(AllInOneCli.parse(new String[] {"--epp", "novalue"}))
                .isEqualTo(new AllInOneCli.Invalid("--epp must be KEY=VALUE, got novalue"));
    }

    @Test
    void badInputNamesTheFlag() {
        assertThat(AllInOneCli.parse(new String[] {"--simulators", "many"}))
                .isEqualTo(new AllInOneCli.Invalid("--simulators must be a whole number, got many"));
        assertThat(AllInOneCli.parse(new String[] {"--frobnicate", "1"}))
                .isEqualTo(new AllInOneCli.Invalid("unknown option: --frobnicate"));
        assertThat(AllInOneCli.parse(new String[] {"--gateway-port"}))
                .isEqualTo(new AllInOneCli.Invalid("--gateway-port needs a value"));
        assertThat(AllInOneCli.parse(new String[] {"--gateway-port", "70000"}))
                .isInstanceOf(AllInOneCli.Invalid.class);
        assertThat(AllInOneCli.parse(new String[] {"--resources", "/no/such/file.yaml"}))
                .isEqualTo(new AllInOneCli.Invalid("--resources: cannot read /no/such/file.yaml"));
        assertThat(AllInOneCli.parse(new String[] {"--help"})).isInstanceOf(AllInOneCli.Help.class);
    }
}
