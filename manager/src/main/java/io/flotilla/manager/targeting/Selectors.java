package io.flotilla.manager.targeting;

import io.flotilla.bundle.options.LabelSelectorRequirement;
import io.flotilla.bundle.options.LabelSelectorSpec;
import java.util.List;

/** Compiles the bundle model's selector records into {@link LabelSelector}s. */
public final class Selectors {

    private Selectors() {
    }

    /**
     * @return null for a null spec ("not set"), {@link LabelSelector#EVERYTHING} for {@code {}}
     * @throws InvalidSelectorException naming the bad key, value or operator
     */
    public static LabelSelector compile(LabelSelectorSpec spec) {
        if (spec == null) {
            return null;
        }
        List<LabelSelector.Expression> expressions = spec.matchExpressions().stream()
                .map(Selectors::expression)
                .toList();
        return LabelSelector.of(spec.matchLabels(), expressions);
    }

    private static LabelSelector.Expression expression(LabelSelectorRequirement r) {
        return new LabelSelector.Expression(r.key(), r.operator(), r.values());
    }
}
