package io.flotilla.bundle.fleetyaml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.flotilla.bundle.options.Copies;
import io.flotilla.bundle.options.LabelSelectorSpec;
import java.util.List;

/**
 * A {@code dependsOn} entry: a bundle by name or bundles by label selector, and the BundleStates that count
 * as satisfied (empty = Fleet's default). {@code acceptedStates} is never null.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DependsOn(
        @JsonProperty("name") String name,
        @JsonProperty("selector") LabelSelectorSpec selector,
        @JsonProperty("acceptedStates") List<String> acceptedStates) {

    /** The seven BundleState names (fleet-semantics conventions). */
    public static final List<String> BUNDLE_STATES =
            List.of("Ready", "NotReady", "WaitApplied", "ErrApplied", "OutOfSync", "Pending", "Modified");

    public DependsOn {
        acceptedStates = acceptedStates == null ? List.of() : Copies.list(acceptedStates);
    }
}
