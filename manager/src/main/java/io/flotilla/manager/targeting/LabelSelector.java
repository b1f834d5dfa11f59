package io.flotilla.manager.targeting;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A validated Kubernetes label selector: every requirement must hold (matchLabels AND matchExpressions).
 * A selector without requirements ({@code {}}) matches every label set, including an absent one.
 */
public final class LabelSelector {

    /** The selector {@code {}}. */
    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    /** Kubernetes selector operators. */
    public enum Operator {
        IN("In"), NOT_IN("NotIn"), EXISTS("Exists"), DOES_NOT_EXIST("DoesNotExist");

        private final String wireName;

        Operator(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Operator fromWireName(String name) {
            for (Operator op : values()) {
                if (op.wireName.equals(name)) {
                    return op;
                }
            }
            throw new InvalidSelectorException("invalid label selector: \"" + name
                    + "\" is not a valid label selector operator (expected In, NotIn, Exists or DoesNotExist)");
        }
    }

    /** One matchExpressions entry as given by a user, not yet validated. */
    public record Expression(String key, String operator, List<String> values) {
        public Expression {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    /** One validated requirement. */
    public record Requirement(String key, Operator operator, Set<String> values) {

        public Requirement {
            values = Set.copyOf(values);
        }

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            boolean present = value != null || labels.containsKey(key);
            return switch (operator) {
                case IN -> present && values.contains(value);
                case NOT_IN -> !present || !values.contains(value);
                case EXISTS -> present;
                case DOES_NOT_EXIST -> !present;
            };
        }

        @Override
        public String toString() {
            String sortedValues = String.join(",", new TreeSet<>(values));
            return switch (operator) {
                case IN -> values.size() == 1 ? key + "=" + sortedValues : key + " in (" + sortedValues + ")";
                case NOT_IN -> values.size() == 1 ? key + "!=" + sortedValues : key + " notin (" + sortedValues + ")";
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
            };
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    /**
     * Validates and compiles a selector in its object form. Both arguments may be null.
     *
     * @throws InvalidSelectorException naming the bad key, value or operator
     */
    public static LabelSelector of(Map<String, String> matchLabels, Collection<Expression> matchExpressions) {
        List<Requirement> requirements = new ArrayList<>();
        if (matchLabels != null) {
            matchLabels.forEach((key, value) -> requirements.add(
                    requirement(key, Operator.IN, List.of(value == null ? "" : value))));
        }
        if (matchExpressions != null) {
            for (Expression e : matchExpressions) {
                if (e.operator() == null || e.operator().isEmpty()) {
                    throw new InvalidSelectorException("invalid label selector: key \"" + e.key()
                            + "\": operator must be set");
                }
                requirements.add(requirement(e.key(), Operator.fromWireName(e.operator()), e.values()));
            }
        }
        return requirements.isEmpty() ? EVERYTHING : new LabelSelector(requirements);
    }

    /**
     * Validates and compiles a selector given as a plain map, as read from JSON or YAML:
     * {@code {matchLabels: {k: v}, matchExpressions: [{key, operator, values: [...]}]}}. Null means {@code {}}.
     *
     * @throws InvalidSelectorException on unknown fields, wrong types, or invalid keys, values or operators
     */
    public static LabelSelector fromMap(Map<String, ?> raw) {
        if (raw == null) {
            return EVERYTHING;
        }
        for (String field : raw.keySet()) {
            if (!field.equals("matchLabels") && !field.equals("matchExpressions")) {
                throw new InvalidSelectorException("invalid label selector: unknown field \"" + field
                        + "\" (expected matchLabels or matchExpressions)");
            }
        }
        Map<String, String> matchLabels = new java.util.LinkedHashMap<>();
        Object labels = raw.get("matchLabels");
        if (labels instanceof Map<?, ?> m) {
            m.forEach((k, v) -> matchLabels.put(String.valueOf(k), scalar(v, "matchLabels." + k)));
        } else if (labels != null) {
            throw new InvalidSelectorException("invalid label selector: matchLabels must be a map");
        }
        List<Expression> expressions = new ArrayList<>();
        Object exprs = raw.get("matchExpressions");
        if (exprs instanceof List<?> list) {
            for (Object e : list) {
                if (!(e instanceof Map<?, ?> m)) {
                    throw new InvalidSelectorException("invalid label selector: each matchExpressions entry must be "
                            + "a map with key, operator and values");
                }
                List<String> values = new ArrayList<>();
                if (m.get("values") instanceof List<?> vs) {
                    vs.forEach(v -> values.add(scalar(v, "values of " + m.get("key"))));
                } else if (m.get("values") != null) {
                    throw new InvalidSelectorException("invalid label selector: key \"" + m.get("key")
                            + "\": values must be a list");
                }
                expressions.add(new Expression(m.get("key") == null ? null : String.valueOf(m.get("key")),
                        m.get("operator") == null ? null : String.valueOf(m.get("operator")), values));
            }
        } else if (exprs != null) {
            throw new InvalidSelectorException("invalid label selector: matchExpressions must be a list");
        }
        return of(matchLabels, expressions);
    }

    private static String scalar(Object value, String where) {
        if (value instanceof Map || value instanceof Collection) {
            throw new InvalidSelectorException("invalid label selector: " + where + " must be a string");
        }
        return value == null ? "" : String.valueOf(value);
    }

    /**
     * Parses the string form used by {@code labelSelector=} query parameters, e.g.
     * {@code env=dev,tier in (a,b),!legacy}. The empty string selects everything.
     *
     * @throws InvalidSelectorException on a syntax error or an invalid key or value
     */
    public static LabelSelector parse(String text) {
        List<Requirement> requirements = SelectorStringParser.parse(text);
        return requirements.isEmpty() ? EVERYTHING : new LabelSelector(requirements);
    }

    static Requirement requirement(String key, Operator operator, Collection<String> values) {
        if (key == null) {
            throw new InvalidSelectorException("invalid label selector: a requirement has no key");
        }
        LabelValidation.keyError(key).ifPresent(err -> {
            throw new InvalidSelectorException("invalid label selector: key \"" + key + "\": " + err);
        });
        switch (operator) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    throw new InvalidSelectorException("invalid label selector: key \"" + key + "\": operator "
                            + operator.wireName() + " requires one or more values");
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    throw new InvalidSelectorException("invalid label selector: key \"" + key + "\": operator "
                            + operator.wireName() + " takes no values");
                }
            }
            default -> throw new IllegalStateException(operator.name());
        }
        for (String value : values) {
            String v = value == null ? "" : value;
            LabelValidation.valueError(v).ifPresent(err -> {
                throw new InvalidSelectorException("invalid label selector: key \"" + key + "\": value \"" + v
                        + "\": " + err);
            });
        }
        return new Requirement(key, operator, new LinkedHashSet<>(values));
    }

    /** True when every requirement holds for {@code labels}; null labels behave as an empty map. */
    public boolean matches(Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (Requirement r : requirements) {
            if (!r.matches(l)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector other && Set.copyOf(requirements).equals(Set.copyOf(other.requirements));
    }

    @Override
    public int hashCode() {
        return Set.copyOf(requirements).hashCode();
    }

    /** The Kubernetes string form, requirements sorted by key. */
    @Override
    public String toString() {
        return requirements.stream()
                .sorted(Comparator.comparing(Requirement::key))
                .map(Requirement::toString)
                .collect(Collectors.joining(","));
    }
}
