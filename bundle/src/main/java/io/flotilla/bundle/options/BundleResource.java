package io.flotilla.bundle.options;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One file of a bundle; {@code encoding} is empty/null for plain text or {@code base64+gz}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record BundleResource(
        @JsonProperty("name") String name,
        @JsonProperty("content") String content,
        @JsonProperty("encoding") String encoding) {

    public static final String ENCODING_BASE64_GZ = "base64+gz";

    public static BundleResource plain(String name, String content) {
        return new BundleResource(name, content, null);
    }
}
