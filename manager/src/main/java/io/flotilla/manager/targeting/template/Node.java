package io.flotilla.manager.targeting.template;

import java.util.List;

/** The parse tree of a template. {@code source} is the expression text used in error messages. */
sealed interface Node {

    record Text(String text) implements Node {
    }

    record Action(Pipeline pipeline, int line) implements Node {
    }

    /** {@code if}, {@code with} and {@code range} share this shape. */
    record Branch(String keyword, Pipeline pipeline, List<Node> body, List<Node> elseBody, int line)
            implements Node {
    }

    record Pipeline(List<String> variables, boolean declare, List<Command> commands, String source) {
    }

    record Command(List<Operand> operands, String source) {
    }

    sealed interface Operand {
        String source();
    }

    record Dot(String source) implements Operand {
    }

    /** {@code .a.b} on dot, {@code $x.a.b} on a variable, or {@code (pipeline).a.b}. */
    record FieldChain(Operand receiver, List<String> fields, String source) implements Operand {
    }

    record Variable(String name, String source) implements Operand {
    }

    record Function(String name, String source) implements Operand {
    }

    record Literal(Object value, String source) implements Operand {
    }

    record SubPipeline(Pipeline pipeline, String source) implements Operand {
    }
}
