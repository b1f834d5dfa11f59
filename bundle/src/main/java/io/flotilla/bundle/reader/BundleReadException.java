package io.flotilla.bundle.reader;

/** A checkout could not be read into bundles; the message names the file, directory or bundle at fault. */
public class BundleReadException extends RuntimeException {

    public BundleReadException(String message) {
        super(message);
    }

    public BundleReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
