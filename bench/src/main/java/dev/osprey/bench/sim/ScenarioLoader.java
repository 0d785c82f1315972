package dev.osprey.bench.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a scenario YAML file, rejects unknown fields, fills defaults and validates every value. */
public final class ScenarioLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ScenarioLoader() {
    }

    /**
     * Loads and validates {@code file}.
     *
     * @throws ScenarioException naming the bad field, or the file when it cannot be read
     */
    public static Scenario load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ScenarioException("cannot read scenario " + file + ": " + e.getMessage(), e);
        }
        String fileName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return parse(text, fileName);
    }

    /** Parses and validates YAML text; {@code defaultName} names the scenario when the text does not. */
    public static Scenario parse(String yaml, String defaultName) {
        Scenario raw;
        try {
            raw = YAML.readValue(yaml, Scenario.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ScenarioException(path(e) + ": unknown field", e);
        } catch (JsonMappingException e) {
            throw new ScenarioException(path(e) + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ScenarioException("scenario is not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (raw == null) {
            throw new ScenarioException("scenario is empty");
        }
        return ScenarioValidator.validate(raw, defaultName);
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "scenario" : sb.toString();
    }
}
