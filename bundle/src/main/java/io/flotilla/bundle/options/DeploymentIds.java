package io.flotilla.bundle.options;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.flotilla.bundle.options.BundleDeploymentOptions.HelmOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Content and deployment identities (fleet-semantics §5.4).
 *
 * <p>The canonical JSON mirrors Go's {@code encoding/json}: record components in declaration order (Fleet's
 * struct order), map keys sorted at every depth, {@code omitempty} as declared on the model, {@code <>&} and
 * U+2028/U+2029 escaped as lowercase backslash-u sequences, floating-point numbers in Go's shortest form.
 */
public final class DeploymentIds {

    private static final String MANIFEST_PREFIX = "s-";
    private static final int MANIFEST_ID_LENGTH = 63;

    private static final ObjectMapper CANONICAL = JsonMapper.builder(
                    new JsonFactoryBuilder().characterEscapes(new GoEscapes()).build())
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .addModule(new SimpleModule("go-numbers")
                    .addSerializer(Double.class, new GoFloatSerializer())
                    .addSerializer(double.class, new GoFloatSerializer()))
            .build();

    private DeploymentIds() {
    }

    /** {@code "s-"} + the first 61 hex digits of sha256 of the manifest JSON {@code {"resources":[...]}\n}. */
    public static String manifestId(List<BundleResource> resources) {
        String hash = sha256Hex(canonicalJson(new Manifest(resources)) + "\n");
        return (MANIFEST_PREFIX + hash).substring(0, MANIFEST_ID_LENGTH);
    }

    /**
     * {@code manifestId + ":" + sha256hex(canonicalJson(opts without diff and correctDrift) + "\n")}:
     * diff- or correctDrift-only changes keep the id, any other option change gives a new one.
     * An explicit {@code false} of a nullable flag hashes like "unset" (both mean off in merged options).
     */
    public static String deploymentId(String manifestId, BundleDeploymentOptions opts) {
        BundleDeploymentOptions sanitized = opts.toBuilder()
                .diff(null)
                .correctDrift(null)
                .keepResources(trueOrNull(opts.keepResources()))
                .helm(opts.helm() == null ? null : withoutFalseFlags(opts.helm()))
                .build();
        return manifestId + ":" + sha256Hex(canonicalJson(sanitized) + "\n");
    }

    /** Canonical JSON of a model object or a free-form map/list (see the class comment). */
    public static String canonicalJson(Object value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    public static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static HelmOptions withoutFalseFlags(HelmOptions helm) {
        return helm.toBuilder()
                .force(trueOrNull(helm.force()))
                .takeOwnership(trueOrNull(helm.takeOwnership()))
                .waitForJobs(trueOrNull(helm.waitForJobs()))
                .atomic(trueOrNull(helm.atomic()))
                .disablePreProcess(trueOrNull(helm.disablePreProcess()))
                .disableDNS(trueOrNull(helm.disableDNS()))
                .build();
    }

    private static Boolean trueOrNull(Boolean flag) {
        return Boolean.TRUE.equals(flag) ? Boolean.TRUE : null;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    private record Manifest(@JsonProperty("resources") List<BundleResource> resources) {
    }

    /** Go's json.Marshal escaping (HTML-safe, lowercase hex). */
    private static final class GoEscapes extends CharacterEscapes {
        private final int[] asciiEscapes;

        GoEscapes() {
            asciiEscapes = standardAsciiEscapesForJSON();
            for (int c = 0; c < 0x20; c++) {
                if (c != '\b' && c != '\f' && c != '\n' && c != '\r' && c != '\t') {
                    asciiEscapes[c] = ESCAPE_CUSTOM;
                }
            }
            asciiEscapes['<'] = ESCAPE_CUSTOM;
            asciiEscapes['>'] = ESCAPE_CUSTOM;
            asciiEscapes['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return asciiEscapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            boolean custom = ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == 0x2028 || ch == 0x2029;
            return custom ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }

    /** Go's strconv.FormatFloat(f, 'g'-like, -1, 64) as used by encoding/json. */
    private static final class GoFloatSerializer extends StdSerializer<Double> {
        GoFloatSerializer() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value.isNaN() || value.isInfinite()) {
                throw new JsonGenerationException("unsupported value: " + value, gen);
            }
            gen.writeRawValue(format(value));
        }

        static String format(double f) {
            if (f == 0) {
                return "0";
            }
            BigDecimal exact = new BigDecimal(Double.toString(f)).stripTrailingZeros();
            double abs = Math.abs(f);
            if (abs >= 1e-6 && abs < 1e21) {
                return exact.toPlainString();
            }
            String digits = exact.unscaledValue().abs().toString();
            int exponent = digits.length() - 1 - exact.scale();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (f < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + String.format("%02d", Math.abs(exponent));
        }
    }
}
