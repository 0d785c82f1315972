package dev.osprey.allinone.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The PromQL of {@code deploy/grafana/osprey-dashboard.json} and the metric names it reads. Osprey's own series all
 * start with {@code osprey_} or (upstream's names) {@code inference_}; label matchers are removed before looking,
 * so a label value cannot pass for a metric.
 *
 * @param panelTitles the titles of the graph panels (rows excluded)
 * @param expressions every target's {@code expr} and every query variable's query
 */
record DashboardQueries(List<String> panelTitles, List<String> expressions) {

    static final String FILE = "deploy/grafana/osprey-dashboard.json";
    private static final Pattern METRIC = Pattern.compile("\\b(?:osprey|inference)_[A-Za-z0-9_:]*");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");

    static DashboardQueries load(Path root) throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(root.resolve(FILE).toFile());
        List<String> titles = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            titles.add(panel.path("title").asText());
            if (!panel.path("datasource").path("uid").asText().equals("${datasource}")) {
                throw new AssertionError("panel '" + panel.path("title").asText()
                        + "' must use the ${datasource} variable");
            }
            if (panel.path("targets").isEmpty()) {
                throw new AssertionError("panel '" + panel.path("title").asText() + "' has no query");
            }
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                expressions.add(variable.path("query").path("query").asText());
            }
        }
        return new DashboardQueries(List.copyOf(titles), List.copyOf(expressions));
    }

    /** The metric names {@code expression} reads. */
    static Set<String> metricsOf(String expression) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(MATCHERS.matcher(expression).replaceAll(""));
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /** Every metric name the dashboard reads. */
    Set<String> metrics() {
        Set<String> names = new TreeSet<>();
        expressions.forEach(e -> names.addAll(metricsOf(e)));
        return names;
    }
}
