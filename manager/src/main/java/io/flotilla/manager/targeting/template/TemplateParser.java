package io.flotilla.manager.targeting.template;

import io.flotilla.manager.targeting.template.Node.Branch;
import io.flotilla.manager.targeting.template.Node.Command;
import io.flotilla.manager.targeting.template.Node.Operand;
import io.flotilla.manager.targeting.template.Node.Pipeline;
import io.flotilla.manager.targeting.template.Token.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Lexes and parses a template with delimiters {@code ${ }} into a {@link Node} tree, as Go's text/template does. */
final class TemplateParser {

    private static final String LEFT = "${";
    private static final Set<String> KEYWORDS =
            Set.of("if", "else", "end", "range", "with", "define", "template", "block", "break", "continue");

    /** An action's tokens, or a text segment. */
    private record Item(String text, List<Token> tokens, int line) {
        boolean isText() {
            return tokens == null;
        }

        boolean startsWith(String keyword) {
            return !isText() && !tokens.isEmpty() && tokens.get(0).isKeyword(keyword);
        }
    }

    private final String name;
    private final String text;
    private final Set<String> functions;
    private final List<Item> items = new ArrayList<>();
    private int itemIndex;

    private TemplateParser(String name, String text, Set<String> functions) {
        this.name = name;
        this.text = text;
        this.functions = functions;
    }

    static List<Node> parse(String name, String text, Set<String> functions) {
        TemplateParser p = new TemplateParser(name, text, functions);
        p.lex();
        List<Node> nodes = new ArrayList<>();
        Item end = p.parseList(nodes);
        if (end != null) {
            throw p.error(end.line(), "unexpected " + p.describe(end));
        }
        return nodes;
    }

    // ---- lexing -------------------------------------------------------------------------------------------------

    private void lex() {
        int pos = 0;
        boolean trimNextText = false;
        while (pos <= text.length()) {
            int open = text.indexOf(LEFT, pos);
            String segment = open < 0 ? text.substring(pos) : text.substring(pos, open);
            if (trimNextText) {
                segment = segment.stripLeading();
            }
            if (open < 0) {
                addText(segment);
                return;
            }
            int line = lineOf(open);
            int p = open + LEFT.length();
            if (p + 1 < text.length() && text.charAt(p) == '-' && isSpace(text.charAt(p + 1))) {
                segment = segment.stripTrailing();
                p += 2;
            }
            addText(segment);
            int[] endAndTrim = new int[2];
            List<Token> tokens = lexAction(p, line, endAndTrim);
            if (tokens != null) {
                items.add(new Item(null, tokens, line));
            }
            pos = endAndTrim[0];
            trimNextText = endAndTrim[1] == 1;
        }
    }

    private void addText(String segment) {
        if (!segment.isEmpty()) {
            items.add(new Item(segment, null, 0));
        }
    }

    /** Lexes one action starting at {@code p}; returns null for a comment. out[0] = end offset, out[1] = trim. */
    private List<Token> lexAction(int p, int line, int[] out) {
        String t = text;
        int i = p;
        while (i < t.length() && isSpace(t.charAt(i))) {
            i++;
        }
        if (t.startsWith("/*", i)) {
            int close = t.indexOf("*/", i + 2);
            if (close < 0) {
                throw error(line, "unclosed comment");
            }
            i = close + 2;
            closeAction(i, line, out);
            return null;
        }
        List<Token> tokens = new ArrayList<>();
        i = p;
        while (true) {
            int before = i;
            while (i < t.length() && isSpace(t.charAt(i))) {
                i++;
            }
            boolean adjacent = i == before && !tokens.isEmpty();
            if (i >= t.length()) {
                throw error(line, "unclosed action");
            }
            char c = t.charAt(i);
            if (c == '}' || (c == '-' && i > before && i + 1 < t.length() && t.charAt(i + 1) == '}')) {
                closeAction(i, line, out);
                return tokens;
            }
            int start = i;
            Type type;
            if (c == '"') {
                i = endOfQuoted(i, line);
                tokens.add(new Token(Type.STRING, unquote(t.substring(start, i), line), start, i, adjacent));
                continue;
            } else if (c == '`') {
                int close = t.indexOf('`', i + 1);
                if (close < 0) {
                    throw error(line, "unterminated raw quoted string");
                }
                i = close + 1;
                tokens.add(new Token(Type.STRING, t.substring(start + 1, close), start, i, adjacent));
                continue;
            } else if (c == '|') {
                i++;
                type = Type.PIPE;
            } else if (c == '(') {
                i++;
                type = Type.LEFT_PAREN;
            } else if (c == ')') {
                i++;
                type = Type.RIGHT_PAREN;
            } else if (c == ',') {
                i++;
                type = Type.COMMA;
            } else if (c == ':' && i + 1 < t.length() && t.charAt(i + 1) == '=') {
                i += 2;
                type = Type.DECLARE;
            } else if (c == '=') {
                i++;
                type = Type.ASSIGN;
            } else if (c == '$') {
                i = endOfIdentifier(i + 1);
                type = Type.VARIABLE;
            } else if (c == '.' && i + 1 < t.length() && isIdentifierStart(t.charAt(i + 1))) {
                i = endOfIdentifier(i + 1);
                type = Type.FIELD;
            } else if (isNumberStart(i)) {
                i = endOfNumber(i);
                type = Type.NUMBER;
            } else if (c == '.') {
                i++;
                type = Type.DOT;
            } else if (isIdentifierStart(c)) {
                i = endOfIdentifier(i);
                String word = t.substring(start, i);
                type = KEYWORDS.contains(word) ? Type.KEYWORD
                        : word.equals("true") || word.equals("false") ? Type.BOOL
                        : word.equals("nil") ? Type.NIL : Type.IDENTIFIER;
            } else {
                throw error(line, "unexpected \"" + c + "\" in action");
            }
            tokens.add(new Token(type, t.substring(start, i), start, i, adjacent));
        }
    }

    private void closeAction(int i, int line, int[] out) {
        int j = i;
        while (j < text.length() && isSpace(text.charAt(j))) {
            j++;
        }
        boolean trim = false;
        if (j > i && text.startsWith("-}", j)) {
            trim = true;
            j++;
        } else if (text.startsWith("-}", j) && j == i && j > 0 && isSpace(text.charAt(j - 1))) {
            trim = true;
            j++;
        }
        if (j >= text.length() || text.charAt(j) != '}') {
            throw error(line, "unclosed action");
        }
        out[0] = j + 1;
        out[1] = trim ? 1 : 0;
    }

    private int endOfQuoted(int i, int line) {
        int j = i + 1;
        while (j < text.length()) {
            char c = text.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == '"') {
                return j + 1;
            } else if (c == '\n') {
                break;
            } else {
                j++;
            }
        }
        throw error(line, "unterminated quoted string");
    }

    private String unquote(String quoted, int line) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = quoted.charAt(++i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'a' -> sb.append((char) 7);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append((char) 11);
                case '\\', '"', '\'' -> sb.append(e);
                case 'x' -> {
                    sb.append((char) Integer.parseInt(quoted.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                case 'u' -> {
                    sb.appendCodePoint(Integer.parseInt(quoted.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 'U' -> {
                    sb.appendCodePoint(Integer.parseInt(quoted.substring(i + 1, i + 9), 16));
                    i += 8;
                }
                default -> throw error(line, "invalid syntax: unknown escape \\" + e + " in " + quoted);
            }
        }
        return sb.toString();
    }

    private boolean isNumberStart(int i) {
        char c = text.charAt(i);
        char next = i + 1 < text.length() ? text.charAt(i + 1) : '\0';
        if (Character.isDigit(c)) {
            return true;
        }
        if (c == '+' || c == '-') {
            return Character.isDigit(next) || (next == '.' && i + 2 < text.length()
                    && Character.isDigit(text.charAt(i + 2)));
        }
        return c == '.' && Character.isDigit(next);
    }

    private int endOfNumber(int i) {
        int j = i;
        while (j < text.length()) {
            char c = text.charAt(j);
            boolean exponentSign = (c == '+' || c == '-') && j > i
                    && (text.charAt(j - 1) == 'e' || text.charAt(j - 1) == 'E')
                    && !text.startsWith("0x", i) && !text.startsWith("0X", i);
            if (Character.isLetterOrDigit(c) || c == '.' || c == '_' || exponentSign || (j == i && (c == '+'
                    || c == '-'))) {
                j++;
            } else {
                break;
            }
        }
        return j;
    }

    private int endOfIdentifier(int i) {
        int j = i;
        while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
            j++;
        }
        return j;
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private int lineOf(int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    // ---- parsing ------------------------------------------------------------------------------------------------

    /** Parses nodes into {@code into} until an {@code else} or {@code end} item, which it returns (null at EOF). */
    private Item parseList(List<Node> into) {
        while (itemIndex < items.size()) {
            Item item = items.get(itemIndex++);
            if (item.isText()) {
                into.add(new Node.Text(item.text()));
                continue;
            }
            List<Token> tokens = item.tokens();
            if (tokens.isEmpty()) {
                throw error(item.line(), "missing value for command");
            }
            Token first = tokens.get(0);
            if (first.isKeyword("end") || first.isKeyword("else")) {
                return item;
            }
            if (first.isKeyword("if") || first.isKeyword("with") || first.isKeyword("range")) {
                into.add(parseBranch(first.text(), tokens.subList(1, tokens.size()), item.line()));
            } else if (first.is(Type.KEYWORD)) {
                throw error(item.line(), "the \"" + first.text() + "\" action is not supported");
            } else {
                into.add(new Node.Action(parsePipeline(tokens, item.line(), false), item.line()));
            }
        }
        return null;
    }

    private Branch parseBranch(String keyword, List<Token> tokens, int line) {
        Pipeline pipeline = parsePipeline(tokens, line, keyword.equals("range"));
        List<Node> body = new ArrayList<>();
        Item end = parseList(body);
        if (end == null) {
            throw error(line, "unexpected EOF: missing end of " + keyword);
        }
        List<Node> elseBody = new ArrayList<>();
        if (end.startsWith("else")) {
            List<Token> rest = end.tokens().subList(1, end.tokens().size());
            if (!rest.isEmpty() && (rest.get(0).isKeyword("if") || rest.get(0).isKeyword("with"))
                    && !keyword.equals("range")) {
                // "else if" chains share the enclosing end
                elseBody.add(parseBranch(rest.get(0).text(), rest.subList(1, rest.size()), end.line()));
                return new Branch(keyword, pipeline, body, elseBody, line);
            }
            if (!rest.isEmpty()) {
                throw error(end.line(), "unexpected " + describe(end));
            }
            Item close = parseList(elseBody);
            if (close == null || !close.startsWith("end")) {
                throw error(end.line(), "expected end; found " + (close == null ? "EOF" : describe(close)));
            }
            end = close;
        }
        if (end.tokens().size() > 1) {
            throw error(end.line(), "unexpected " + describe(end));
        }
        return new Branch(keyword, pipeline, body, elseBody, line);
    }

    private String describe(Item item) {
        return LEFT + text.substring(item.tokens().get(0).start(), item.tokens().get(item.tokens().size() - 1).end())
                + "}";
    }

    private Pipeline parsePipeline(List<Token> tokens, int line, boolean allowTwoVariables) {
        if (tokens.isEmpty()) {
            throw error(line, "missing value for command");
        }
        List<String> variables = new ArrayList<>();
        boolean declare = false;
        int i = 0;
        if (tokens.get(0).is(Type.VARIABLE) && tokens.size() > 1) {
            if (tokens.get(1).is(Type.DECLARE) || tokens.get(1).is(Type.ASSIGN)) {
                variables.add(tokens.get(0).text());
                declare = tokens.get(1).is(Type.DECLARE);
                i = 2;
            } else if (allowTwoVariables && tokens.size() > 3 && tokens.get(1).is(Type.COMMA)
                    && tokens.get(2).is(Type.VARIABLE) && (tokens.get(3).is(Type.DECLARE)
                    || tokens.get(3).is(Type.ASSIGN))) {
                variables.add(tokens.get(0).text());
                variables.add(tokens.get(2).text());
                declare = tokens.get(3).is(Type.DECLARE);
                i = 4;
            }
        }
        Cursor cursor = new Cursor(tokens, i, line);
        Pipeline p = pipelineAt(cursor, variables, declare);
        if (cursor.pos < tokens.size()) {
            throw error(line, "unexpected \"" + tokens.get(cursor.pos).text() + "\" in operand");
        }
        return p;
    }

    private final class Cursor {
        final List<Token> tokens;
        int pos;
        final int line;

        Cursor(List<Token> tokens, int pos, int line) {
            this.tokens = tokens;
            this.pos = pos;
            this.line = line;
        }

        Token peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        boolean atPipelineEnd() {
            Token t = peek();
            return t == null || t.is(Type.RIGHT_PAREN);
        }
    }

    private Pipeline pipelineAt(Cursor c, List<String> variables, boolean declare) {
        int start = c.pos;
        List<Command> commands = new ArrayList<>();
        while (true) {
            commands.add(command(c, commands.size()));
            Token t = c.peek();
            if (t != null && t.is(Type.PIPE)) {
                c.pos++;
                continue;
            }
            break;
        }
        return new Pipeline(List.copyOf(variables), declare, commands, source(c.tokens, start, c.pos));
    }

    private Command command(Cursor c, int stage) {
        int start = c.pos;
        List<Operand> operands = new ArrayList<>();
        while (!c.atPipelineEnd() && !c.peek().is(Type.PIPE)) {
            operands.add(operand(c));
        }
        if (operands.isEmpty()) {
            throw error(c.line, "missing value for command");
        }
        if (stage > 0 && (operands.get(0) instanceof Node.Literal || operands.get(0) instanceof Node.Dot)) {
            throw error(c.line, "non executable command in pipeline stage " + (stage + 1));
        }
        return new Command(operands, source(c.tokens, start, c.pos));
    }

    private Operand operand(Cursor c) {
        int start = c.pos;
        Token t = c.tokens.get(c.pos++);
        Operand term = switch (t.type()) {
            case FIELD -> {
                c.pos--;
                yield new Node.Dot(".");
            }
            case DOT -> new Node.Dot(".");
            case VARIABLE -> new Node.Variable(t.text(), t.text());
            case STRING -> new Node.Literal(t.text(), source(c.tokens, start, c.pos));
            case NUMBER -> new Node.Literal(number(t, c.line), t.text());
            case BOOL -> new Node.Literal(Boolean.valueOf(t.text()), t.text());
            case NIL -> new Node.Literal(null, t.text());
            case IDENTIFIER -> {
                if (!functions.contains(t.text())) {
                    throw error(c.line, "function \"" + t.text() + "\" not defined");
                }
                yield new Node.Function(t.text(), t.text());
            }
            case LEFT_PAREN -> {
                Pipeline inner = pipelineAt(c, List.of(), false);
                Token close = c.peek();
                if (close == null || !close.is(Type.RIGHT_PAREN)) {
                    throw error(c.line, "unclosed left paren");
                }
                c.pos++;
                yield new Node.SubPipeline(inner, source(c.tokens, start, c.pos));
            }
            default -> throw error(c.line, "unexpected \"" + t.text() + "\" in operand");
        };
        List<String> fields = new ArrayList<>();
        while (c.peek() != null && c.peek().is(Type.FIELD)
                && (c.peek().adjacent() || (fields.isEmpty() && t.is(Type.FIELD)))) {
            fields.add(c.peek().text().substring(1));
            c.pos++;
        }
        if (fields.isEmpty()) {
            return term;
        }
        if (term instanceof Node.Literal) {
            throw error(c.line, "unexpected . after term \"" + term.source() + "\"");
        }
        return new Node.FieldChain(term, fields, source(c.tokens, start, c.pos));
    }

    private Object number(Token t, int line) {
        String s = t.text().replace("_", "");
        try {
            if (s.matches("[+-]?0[xX][0-9a-fA-F]+")) {
                boolean negative = s.startsWith("-");
                long v = Long.parseLong(s.replaceFirst("^[+-]?0[xX]", ""), 16);
                return negative ? -v : v;
            }
            if (s.matches("[+-]?[0-9]+")) {
                return Long.parseLong(s);
            }
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw error(line, "bad number syntax: \"" + t.text() + "\"");
        }
    }

    private String source(List<Token> tokens, int from, int to) {
        if (to <= from) {
            return "";
        }
        return text.substring(tokens.get(from).start(), tokens.get(to - 1).end());
    }

    private TemplateException error(int line, String message) {
        return new TemplateException("template: " + name + ":" + line + ": " + message);
    }
}
