package io.flotilla.bundle.reader;

/** One file of a bundle; {@code encoding} is null for UTF-8 text or {@code base64+gz}. */
public record BundleResource(String name, String content, String encoding) {
}
