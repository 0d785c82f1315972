package dev.osprey.epp.request;

import java.util.Objects;

/** What {@link JsonBodyInspector} found in a request body. */
public sealed interface BodyInspection {

    /**
     * A JSON object with a string {@code model}.
     *
     * @param modelValueStart byte offset of the opening quote of the model value
     * @param modelValueEnd byte offset just after its closing quote
     * @param includeUsage whether {@code stream_options.include_usage} is true
     * @param prompt the prompt text and token estimate ({@link Prompt#NONE} for an unknown API)
     */
    record Valid(String model, boolean stream, long modelValueStart, long modelValueEnd, boolean includeUsage,
            Prompt prompt) implements BodyInspection {

        public Valid {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(prompt, "prompt");
        }
    }

    /** Not usable: the reason goes into the 400 response. */
    record Invalid(String reason) implements BodyInspection {

        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
