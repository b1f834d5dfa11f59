package io.flotilla.bundle.render;

/**
 * Rendering a bundle failed. Names the bundle, the file (path relative to the bundle root, or a chart or
 * kustomize directory) and the line where there is one; {@link #getMessage()} puts them in front of the detail,
 * e.g. {@code bundle guestbook: manifests/deploy.yaml:12: mapping values are not allowed here}.
 */
public final class RenderException extends Exception {

    private final String bundle;
    private final String file;
    private final Integer line;
    private final String detail;

    public RenderException(String bundle, String file, Integer line, String detail, Throwable cause) {
        super(format(bundle, file, line, detail), cause);
        this.bundle = bundle;
        this.file = file;
        this.line = line;
        this.detail = detail;
    }

    public RenderException(String bundle, String file, Integer line, String detail) {
        this(bundle, file, line, detail, null);
    }

    /** A failure found below the renderer, which does not know the bundle; the renderer adds it. */
    public static RenderException inFile(String file, Integer line, String detail) {
        return new RenderException(null, file, line, detail, null);
    }

    /** Same as {@link #inFile(String, Integer, String)} with a cause. */
    public static RenderException inFile(String file, Integer line, String detail, Throwable cause) {
        return new RenderException(null, file, line, detail, cause);
    }

    /**
     * What an exception says, for a message: the class and message of it and of each cause, e.g.
     * {@code java.net.ConnectException; caused by java.net.ConnectException: Connection refused}. Many I/O exceptions
     * (the JDK HTTP client's refused connection among them) have no message of their own, so
     * {@link Throwable#getMessage()} alone can be {@code null}. A cause that repeats the class and message of the
     * exception it wraps is left out.
     */
    public static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        String previous = null;
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.size() < 5 && seen.add(t); t = t.getCause()) {
            String message = t.getMessage() == null || t.getMessage().isBlank() ? null : t.getMessage().strip();
            String part = message == null ? t.getClass().getName() : t.getClass().getName() + ": " + message;
            if (part.equals(previous)) {
                continue;
            }
            if (previous != null) {
                sb.append("; caused by ");
            }
            sb.append(part);
            previous = part;
        }
        return sb.toString();
    }

    /** This failure attributed to {@code bundleName}, unless it already names a bundle. */
    public RenderException inBundle(String bundleName) {
        if (bundle != null) {
            return this;
        }
        RenderException copy = new RenderException(bundleName, file, line, detail, getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /** The bundle name; {@code null} only before the renderer attributed the failure. */
    public String bundle() {
        return bundle;
    }

    /** The file or directory at fault, relative to the bundle root; {@code null} when none applies. */
    public String file() {
        return file;
    }

    /** 1-based line in {@link #file()}, or {@code null}. */
    public Integer line() {
        return line;
    }

    /** The message without bundle, file and line. */
    public String detail() {
        return detail;
    }

    private static String format(String bundle, String file, Integer line, String detail) {
        StringBuilder sb = new StringBuilder();
        if (bundle != null) {
            sb.append("bundle ").append(bundle).append(": ");
        }
        if (file != null) {
            sb.append(file);
            if (line != null) {
                sb.append(':').append(line);
            }
            sb.append(": ");
        }
        return sb.append(detail).toString();
    }
}
