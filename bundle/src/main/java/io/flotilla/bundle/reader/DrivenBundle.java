package io.flotilla.bundle.reader;

/**
 * One entry of a GitRepo's {@code bundles} list (driven scan, §2.2.2): exactly one bundle read from
 * {@code base}, with its options in {@code options} (a file relative to {@code base}) instead of
 * {@code fleet.yaml} when that is non-empty.
 */
public record DrivenBundle(String base, String options) {

    public DrivenBundle {
        if (base == null) {
            throw new IllegalArgumentException("driven bundle base must not be null");
        }
        options = options == null ? "" : options;
    }

    public static DrivenBundle of(String base) {
        return new DrivenBundle(base, "");
    }

    public static DrivenBundle of(String base, String options) {
        return new DrivenBundle(base, options);
    }

    /** The entry as Fleet passes it to {@code fleet apply}: {@code base} or {@code base:options}. */
    @Override
    public String toString() {
        return options.isEmpty() ? base : base + ":" + options;
    }
}
