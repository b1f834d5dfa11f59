package io.flotilla.manager.targeting.template;

/**
 * One lexical item inside an action. {@code adjacent} is true when no space separates it from the previous token,
 * which is how {@code .a.b}, {@code $x.a} and {@code (p).a} chain fields.
 */
record Token(Type type, String text, int start, int end, boolean adjacent) {

    enum Type {
        FIELD, DOT, VARIABLE, IDENTIFIER, KEYWORD, STRING, NUMBER, BOOL, NIL, PIPE, LEFT_PAREN, RIGHT_PAREN,
        DECLARE, ASSIGN, COMMA
    }

    boolean is(Type t) {
        return type == t;
    }

    boolean isKeyword(String word) {
        return type == Type.KEYWORD && text.equals(word);
    }
}
