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
