package io.flotilla.bundle.fleetyaml;

/**
 * A fleet.yaml that cannot be read: YAML syntax, unknown field, wrong type or a failed validation rule.
 * The message reads {@code fleet.yaml:12:5: unknown field "valuez" at targetCustomizations[1].helm (known: ...)}.
 * {@code line} and {@code column} are 1-based; {@code fieldPath} is empty for the document root.
 */
public final class FleetYamlException extends Exception {

    private final String fileName;
    private final int line;
    private final int column;
    private final String fieldPath;
    private final String detail;

    public FleetYamlException(String fileName, int line, int column, String fieldPath, String detail,
            Throwable cause) {
        super(fileName + ":" + line + ":" + column + ": " + detail, cause);
        this.fileName = fileName;
        this.line = line;
        this.column = column;
        this.fieldPath = fieldPath;
        this.detail = detail;
    }

    public String fileName() {
        return fileName;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** Dotted path with list indices, e.g. {@code targetCustomizations[1].helm.valuez}. */
    public String fieldPath() {
        return fieldPath;
    }

    /** The message without the {@code file:line:column: } prefix. */
    public String detail() {
        return detail;
    }
}
