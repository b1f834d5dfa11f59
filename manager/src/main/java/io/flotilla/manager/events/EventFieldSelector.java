package io.flotilla.manager.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A Kubernetes field selector over events ({@code involvedObject.kind=GitRepo,involvedObject.name=apps}):
 * terms {@code field=value}, {@code field==value} or {@code field!=value}, all of which must hold.
 */
public final class EventFieldSelector {
    private static final Map<String, Function<Event, String>> FIELDS = Map.of(
            "involvedObject.kind", e -> e.involved().kind(),
            "involvedObject.name", e -> e.involved().name(),
            "involvedObject.namespace", e -> e.involved().namespace(),
            "involvedObject.uid", e -> e.involved().uid(),
            "metadata.name", Event::name,
            "metadata.namespace", Event::namespace,
            "reason", Event::reason,
            "type", e -> e.type().wireName());

    private record Term(Function<Event, String> field, String value, boolean equal) {
    }

    private final List<Term> terms;

    private EventFieldSelector(List<Term> terms) {
        this.terms = terms;
    }

    /**
     * @param text null or empty selects everything
     * @throws IllegalArgumentException naming the term and the supported fields
     */
    public static EventFieldSelector parse(String text) {
        List<Term> terms = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (String raw : text.split(",")) {
                String term = raw.trim();
                int at;
                boolean equal = true;
                int width;
                if ((at = term.indexOf("!=")) > 0) {
                    equal = false;
                    width = 2;
                } else if ((at = term.indexOf("==")) > 0) {
                    width = 2;
                } else if ((at = term.indexOf('=')) > 0) {
                    width = 1;
                } else {
                    throw new IllegalArgumentException("\"" + term + "\" is not a field selector term (field=value)");
                }
                String field = term.substring(0, at).trim();
                Function<Event, String> getter = FIELDS.get(field);
                if (getter == null) {
                    throw new IllegalArgumentException("field \"" + field + "\" is not supported; use one of "
                            + String.join(", ", FIELDS.keySet().stream().sorted().toList()));
                }
                terms.add(new Term(getter, term.substring(at + width).trim(), equal));
            }
        }
        return new EventFieldSelector(List.copyOf(terms));
    }

    public boolean matches(Event event) {
        for (Term t : terms) {
            if (t.field.apply(event).equals(t.value) != t.equal) {
                return false;
            }
        }
        return true;
    }
}
