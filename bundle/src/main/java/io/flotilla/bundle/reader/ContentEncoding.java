package io.flotilla.bundle.reader;

import io.flotilla.bundle.options.BundleResource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Fleet's resource content encodings: plain UTF-8 text, or {@code base64+gz} (gzip, then standard base64). */
public final class ContentEncoding {

    private ContentEncoding() {
    }

    /** Whether the bytes are valid UTF-8 (Go's {@code utf8.Valid}: no overlong forms, no surrogates). */
    public static boolean isValidUtf8(byte[] data) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** A resource holding {@code data}: as text when valid UTF-8 and not forced, else {@code base64+gz}. */
    public static BundleResource encode(String name, byte[] data, boolean compress) {
        if (!compress && isValidUtf8(data)) {
            return new BundleResource(name, new String(data, StandardCharsets.UTF_8), null);
        }
        return new BundleResource(name, base64Gzip(data), BundleResource.ENCODING_BASE64_GZ);
    }

    /** gzip (fixed header, no timestamp, so the output is stable) then standard base64. */
    public static String base64Gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /** The original bytes of a resource, whatever its encoding ({@code base64}, {@code base64+gz} or text). */
    public static byte[] decode(BundleResource resource) {
        String encoding = resource.encoding() == null ? "" : resource.encoding();
        if (encoding.isEmpty()) {
            return resource.content().getBytes(StandardCharsets.UTF_8);
        }
        byte[] raw = Base64.getDecoder().decode(resource.content());
        if (encoding.equals("base64")) {
            return raw;
        }
        if (encoding.equals(BundleResource.ENCODING_BASE64_GZ)) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("resource " + resource.name() + " is not valid gzip", e);
            }
        }
        throw new IllegalArgumentException("unknown encoding " + encoding + " of resource " + resource.name());
    }
}
