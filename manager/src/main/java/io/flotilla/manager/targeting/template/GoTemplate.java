package io.flotilla.manager.targeting.template;

import io.flotilla.manager.targeting.template.Node.Branch;
import io.flotilla.manager.targeting.template.Node.Command;
import io.flotilla.manager.targeting.template.Node.Operand;
import io.flotilla.manager.targeting.template.Node.Pipeline;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A subset of Go's text/template with delimiters {@code ${ }} and {@code missingkey=error}, as Fleet uses to
 * template Helm values. Supports fields on maps, variables, pipelines, parenthesised pipelines, string, number,
 * boolean and nil literals, {@code if}/{@code else if}/{@code else}/{@code with}/{@code range}/{@code end},
 * comments, {@code ${- -}} trimming, and the functions of {@link TemplateFunctions}. Data is plain maps, lists
 * and scalars. A missing map key, an unknown function or a failing function is an error naming the expression.
 */
public final class GoTemplate {

    private final String name;
    private final List<Node> root;

    private GoTemplate(String name, List<Node> root) {
        this.name = name;
        this.root = root;
    }

    /**
     * @param name used in error messages, like Go's template name
     * @throws TemplateException on a syntax error or an unknown function
     */
    public static GoTemplate parse(String name, String text) {
        return new GoTemplate(name, TemplateParser.parse(name, text, TemplateFunctions.names()));
    }

    /** Parses and executes in one step. */
    public static String render(String name, String text, Object data) {
        return parse(name, text).execute(data);
    }

    /** @throws TemplateException naming the failing expression */
    public String execute(Object data) {
        StringBuilder out = new StringBuilder();
        new Execution(data).walk(root, data, out);
        return out.toString();
    }

    /** One run: variables live on a stack, scoped to the enclosing control structure. */
    private final class Execution {
        private final List<String> variableNames = new ArrayList<>();
        private final List<Object> variableValues = new ArrayList<>();
        private int line;

        Execution(Object data) {
            push("$", data);
        }

        void walk(List<Node> nodes, Object dot, StringBuilder out) {
            for (Node node : nodes) {
                if (node instanceof Node.Text t) {
                    out.append(t.text());
                } else if (node instanceof Node.Action a) {
                    line = a.line();
                    Object value = pipeline(a.pipeline(), dot);
                    if (a.pipeline().variables().isEmpty()) {
                        out.append(value == null ? "<no value>" : GoFormat.sprint(value));
                    }
                } else if (node instanceof Branch b) {
                    branch(b, dot, out);
                }
            }
        }

        private void branch(Branch b, Object dot, StringBuilder out) {
            line = b.line();
            int mark = variableNames.size();
            try {
                switch (b.keyword()) {
                    case "if" -> walk(TemplateFunctions.truth(pipeline(b.pipeline(), dot)) ? b.body() : b.elseBody(),
                            dot, out);
                    case "with" -> {
                        Object value = pipeline(b.pipeline(), dot);
                        if (TemplateFunctions.truth(value)) {
                            walk(b.body(), value, out);
                        } else {
                            walk(b.elseBody(), dot, out);
                        }
                    }
                    case "range" -> range(b, dot, out);
                    default -> throw new IllegalStateException(b.keyword());
                }
            } finally {
                pop(mark);
            }
        }

        private void range(Branch b, Object dot, StringBuilder out) {
            Pipeline p = b.pipeline();
            Object value = evaluateCommands(p, dot);
            List<Object[]> entries = new ArrayList<>();
            if (value instanceof Map<?, ?> m) {
                GoFormat.sortedEntries(m).forEach(e -> entries.add(new Object[] {e.getKey(), e.getValue()}));
            } else if (value instanceof Collection<?> c) {
                int i = 0;
                for (Object element : c) {
                    entries.add(new Object[] {(long) i++, element});
                }
            } else if (value instanceof Long || value instanceof Integer) {
                for (long i = 0; i < ((Number) value).longValue(); i++) {
                    entries.add(new Object[] {i, i});
                }
            } else if (value != null) {
                throw failure(p.source(), "range can't iterate over " + GoFormat.sprint(value));
            }
            if (entries.isEmpty()) {
                walk(b.elseBody(), dot, out);
                return;
            }
            int mark = variableNames.size();
            for (Object[] entry : entries) {
                if (p.variables().size() == 1) {
                    bind(p, 0, entry[1]);
                } else if (p.variables().size() == 2) {
                    bind(p, 0, entry[0]);
                    bind(p, 1, entry[1]);
                }
                walk(b.body(), entry[1], out);
                pop(mark);
            }
        }

        private Object pipeline(Pipeline p, Object dot) {
            Object value = evaluateCommands(p, dot);
            if (!p.variables().isEmpty()) {
                bind(p, 0, value);
            }
            return value;
        }

        private void bind(Pipeline p, int index, Object value) {
            String variable = p.variables().get(index);
            if (p.declare()) {
                push(variable, value);
            } else {
                int at = variableNames.lastIndexOf(variable);
                if (at < 0) {
                    throw failure(p.source(), "undefined variable: " + variable);
                }
                variableValues.set(at, value);
            }
        }

        private Object evaluateCommands(Pipeline p, Object dot) {
            Object value = null;
            boolean hasFinal = false;
            for (Command c : p.commands()) {
                value = command(c, dot, value, hasFinal);
                hasFinal = true;
            }
            return value;
        }

        private Object command(Command c, Object dot, Object finalValue, boolean hasFinal) {
            Operand head = c.operands().get(0);
            if (head instanceof Node.Function f) {
                return call(f.name(), c, dot, finalValue, hasFinal);
            }
            if (c.operands().size() > 1 || hasFinal) {
                throw failure(c.source(), "can't give argument to non-function " + head.source());
            }
            return operand(head, dot);
        }

        private Object call(String function, Command c, Object dot, Object finalValue, boolean hasFinal) {
            List<Operand> argOperands = c.operands().subList(1, c.operands().size());
            if (function.equals("and") || function.equals("or")) {
                return andOr(function.equals("and"), argOperands, c, dot, finalValue, hasFinal);
            }
            List<Object> args = new ArrayList<>();
            for (Operand o : argOperands) {
                args.add(operand(o, dot));
            }
            if (hasFinal) {
                args.add(finalValue);
            }
            try {
                return TemplateFunctions.call(function, args);
            } catch (TemplateFunctions.FunctionError e) {
                throw failure(c.source(), "error calling " + function + ": " + e.getMessage());
            }
        }

        /** Go's and/or: stop at the first falsy (and) or truthy (or) argument and return it. */
        private Object andOr(boolean and, List<Operand> operands, Command c, Object dot, Object finalValue,
                boolean hasFinal) {
            int count = operands.size() + (hasFinal ? 1 : 0);
            if (count < 1) {
                throw failure(c.source(), "wrong number of args for " + (and ? "and" : "or")
                        + ": want at least 1 got 0");
            }
            Object value = null;
            for (int i = 0; i < count; i++) {
                value = i < operands.size() ? operand(operands.get(i), dot) : finalValue;
                if (TemplateFunctions.truth(value) != and) {
                    return value;
                }
            }
            return value;
        }

        private Object operand(Operand o, Object dot) {
            if (o instanceof Node.Dot) {
                return dot;
            }
            if (o instanceof Node.Literal l) {
                return l.value();
            }
            if (o instanceof Node.Variable v) {
                return variable(v.name(), v.source());
            }
            if (o instanceof Node.SubPipeline s) {
                return evaluateCommands(s.pipeline(), dot);
            }
            if (o instanceof Node.FieldChain chain) {
                Object value = operand(chain.receiver(), dot);
                for (String field : chain.fields()) {
                    value = field(value, field, chain.source());
                }
                return value;
            }
            if (o instanceof Node.Function f) {
                return call(f.name(), new Command(List.of(o), f.source()), dot, null, false);
            }
            throw new IllegalStateException(o.toString());
        }

        private Object field(Object receiver, String field, String source) {
            if (receiver instanceof Map<?, ?> m) {
                if (!m.containsKey(field)) {
                    throw failure(source, "map has no entry for key \"" + field + "\"");
                }
                return m.get(field);
            }
            if (receiver == null) {
                throw failure(source, "nil pointer evaluating interface {}." + field);
            }
            throw failure(source, "can't evaluate field " + field + " in type " + TemplateFunctions.typeName(receiver));
        }

        private Object variable(String variable, String source) {
            int at = variableNames.lastIndexOf(variable);
            if (at < 0) {
                throw failure(source, "undefined variable: " + variable);
            }
            return variableValues.get(at);
        }

        private void push(String variable, Object value) {
            variableNames.add(variable);
            variableValues.add(value);
        }

        private void pop(int mark) {
            while (variableNames.size() > mark) {
                variableNames.remove(variableNames.size() - 1);
                variableValues.remove(variableValues.size() - 1);
            }
        }

        private TemplateException failure(String source, String message) {
            return new TemplateException("template: " + name + ":" + line + ": executing \"" + name + "\" at <"
                    + source + ">: " + message);
        }
    }
}
