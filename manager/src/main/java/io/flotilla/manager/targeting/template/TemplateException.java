package io.flotilla.manager.targeting.template;

/** A template that does not parse, or fails while executing; the message names the template and expression. */
public final class TemplateException extends RuntimeException {

    public TemplateException(String message) {
        super(message);
    }
}
