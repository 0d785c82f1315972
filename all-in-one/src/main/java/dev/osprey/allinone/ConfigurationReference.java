package dev.osprey.allinone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.osprey.aggregator.ConfigDocs;
import dev.osprey.collector.CollectorConfig;
import dev.osprey.collector.ConfigReference;
import dev.osprey.epp.EppConfig;

/**
 * Generates {@code docs/configuration.md} from the configuration definitions of every service, so the reference
 * cannot drift from the code. {@code ConfigurationReferenceTest} fails when the file is out of date; regenerate
 * with {@code java -cp all-in-one/target/osprey-all-in-one.jar dev.osprey.allinone.ConfigurationReference
 * docs/configuration.md}.
 */
public final class ConfigurationReference {

    private ConfigurationReference() {
    }

    /** The whole document. */
    public static String markdown() {
        return """
                # Configuration reference

                Generated from the configuration definitions in the code by
                `dev.osprey.allinone.ConfigurationReference`; do not edit by hand. Every service parses and
                validates its whole configuration at start-up: an unknown key or a bad value fails start-up with a
                message naming the key.

                ## All-in-one command line

                ```
                %s```

                ## metrics-collector (`osprey.collector.*`)

                %s
                ## state-aggregator (`osprey.aggregator.*`)

                %s
                ## epp-frontend (`osprey.epp.*`)

                %s""".formatted(AllInOneCli.USAGE, ConfigReference.markdown(CollectorConfig.definitions()),
                ConfigDocs.markdownTable(),
                dev.osprey.epp.config.ConfigDocs.markdownTable(EppConfig.definitions()));
    }

    /** Writes the document to the path given as the only argument (stdout when none). */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.out.print(markdown());
        } else {
            Files.writeString(Path.of(args[0]), markdown(), StandardCharsets.UTF_8);
        }
    }
}
