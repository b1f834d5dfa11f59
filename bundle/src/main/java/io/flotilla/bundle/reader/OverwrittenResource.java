package io.flotilla.bundle.reader;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** An object a new bundle takes over from a pruned one (an entry of Fleet's {@code spec.overwrites}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record OverwrittenResource(
        @JsonProperty("kind") String kind,
        @JsonProperty("name") String name,
        @JsonProperty("namespace") String namespace) {
}
