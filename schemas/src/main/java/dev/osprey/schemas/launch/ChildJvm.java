package dev.osprey.schemas.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a main class in a JVM of its own with this JVM's class path, every line of its output going to a log file
 * (a pipe nobody reads would stall the child once full). Used to run Osprey's services as separate processes, the
 * way they are deployed: by the launch tests and by benchmarks that keep the broker out of the measured JVM.
 *
 * @param mainClass the class whose {@code main} runs
 * @param heap the child's maximum heap, as for {@code -Xmx} (e.g. {@code 256m})
 * @param clearedEnvironmentPrefix variables of this JVM starting with it are not passed on (so a test's own
 *     environment cannot configure the child); empty to pass everything on
 */
public record ChildJvm(String mainClass, String heap, String clearedEnvironmentPrefix) {

    /** A child running {@code mainClass} with {@code heap}, inheriting the whole environment. */
    public static ChildJvm of(Class<?> mainClass, String heap) {
        return new ChildJvm(mainClass.getName(), heap, "");
    }

    /** This child, not inheriting the variables that start with {@code prefix}. */
    public ChildJvm clearing(String prefix) {
        return new ChildJvm(mainClass, heap, prefix);
    }

    /**
     * Starts the child with {@code args} and {@code environment} (on top of the inherited one), preceded on the
     * command line by {@code launcherPrefix} (e.g. {@code nice -n 19}), writing its output to {@code log}.
     */
    public Process start(List<String> launcherPrefix, List<String> args, Map<String, String> environment, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(launcherPrefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (!clearedEnvironmentPrefix.isEmpty()) {
            builder.environment().keySet().removeIf(name -> name.startsWith(clearedEnvironmentPrefix));
        }
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** {@link #start(List, List, Map, Path)} with no launcher prefix. */
    public Process start(List<String> args, Map<String, String> environment, Path log) throws IOException {
        return start(List.of(), args, environment, log);
    }
}
