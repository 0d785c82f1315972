package dev.osprey.bench.aggregator;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line options with defaults; an unknown name or a missing value is an error. */
final class Options {

    private Options() {
    }

    /** @throws IllegalArgumentException naming the offending option */
    static Map<String, String> parse(String[] args, Map<String, String> defaults) {
        Map<String, String> options = new HashMap<>(defaults);
        for (int i = 0; i < args.length; i += 2) {
            if (!defaults.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + defaults.keySet());
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + ": missing value");
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }
}
