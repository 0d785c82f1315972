package dev.osprey.epp.request;

import java.util.Objects;

/** What {@link JsonBodyInspector} found in a request body. */
public sealed interface BodyInspection {

    /**
     * A JSON object with a string {@code model}.
     *
     * @param modelValueStart byte offset of the opening quote of the model value
     * @param modelValueEnd byte offset just after its closing quote
     */
    record Valid(String model, boolean stream, long modelValueStart, long modelValueEnd) implements BodyInspection {

        public Valid {
            Objects.requireNonNull(model, "model");
        }
    }

    /** Not usable: the reason goes into the 400 response. */
    record Invalid(String reason) implements BodyInspection {

        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
