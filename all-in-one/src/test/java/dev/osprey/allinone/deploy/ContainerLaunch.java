package dev.osprey.allinone.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;

/**
 * How Kubernetes would start a container of the manifests: the environment the process sees (literal values,
 * downward-API fields with stand-in values, {@code $(VAR)} references expanded as the kubelet does, and
 * {@code HOSTNAME} = the pod name) and the {@code java} command line split into class path, main class and
 * program arguments.
 *
 * @param classpath   the {@code -cp} value
 * @param mainClass   the first non-option word after {@code java}
 * @param arguments   the words after the main class, then {@code args}, expanded
 * @param environment the process environment, in declaration order
 */
record ContainerLaunch(String classpath, String mainClass, List<String> arguments, Map<String, String> environment) {

    /** Namespace, pod name and pod IP the downward API gives in the test. */
    static final String NAMESPACE = "osprey-test";
    static final String POD_NAME = "osprey-pod-0";
    static final String POD_IP = "10.1.2.3";

    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    /**
     * @throws AssertionError naming the container when its command is not {@code java ... -cp PATH MainClass}
     *                        or an environment source cannot be resolved here
     */
    static ContainerLaunch of(String where, Container container) {
        if (!container.getEnvFrom().isEmpty()) {
            throw new AssertionError(where + ": envFrom hides variables from the binding check; list them in env");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOSTNAME", POD_NAME);
        for (EnvVar variable : container.getEnv()) {
            env.put(variable.getName(), value(where, variable, env));
        }
        List<String> command = container.getCommand().stream().map(w -> expand(w, env)).toList();
        if (command.isEmpty() || !command.get(0).equals("java")) {
            throw new AssertionError(where + ": command must start with java, got " + command);
        }
        String classpath = null;
        int i = 1;
        for (; i < command.size() && command.get(i).startsWith("-"); i++) {
            String option = command.get(i);
            if (option.equals("-jar")) {
                throw new AssertionError(where + ": name the main class (-cp JAR CLASS), not -jar");
            }
            if (option.equals("-cp") || option.equals("-classpath") || option.equals("--class-path")) {
                classpath = command.get(++i);
            }
        }
        if (classpath == null || i >= command.size()) {
            throw new AssertionError(where + ": command needs -cp PATH and a main class: " + command);
        }
        List<String> arguments = new ArrayList<>(command.subList(i + 1, command.size()));
        container.getArgs().forEach(a -> arguments.add(expand(a, env)));
        return new ContainerLaunch(classpath, command.get(i), List.copyOf(arguments), Map.copyOf(env));
    }

    private static String value(String where, EnvVar variable, Map<String, String> earlier) {
        if (variable.getValueFrom() == null) {
            return expand(variable.getValue() == null ? "" : variable.getValue(), earlier);
        }
        if (variable.getValueFrom().getFieldRef() == null) {
            throw new AssertionError(where + ": variable " + variable.getName()
                    + " comes from a source the test cannot resolve (only literal values and fieldRef)");
        }
        String field = variable.getValueFrom().getFieldRef().getFieldPath();
        return switch (field) {
            case "metadata.namespace" -> NAMESPACE;
            case "metadata.name" -> POD_NAME;
            case "status.podIP" -> POD_IP;
            default -> throw new AssertionError(where + ": variable " + variable.getName() + " reads field " + field
                    + ", which the test does not stand in for");
        };
    }

    /** {@code $(NAME)} replaced by an earlier variable's value; unknown references stay as written (kubelet rule). */
    static String expand(String text, Map<String, String> env) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
