package io.flotilla.bundle.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code yaml.overlays} of raw-YAML bundles, as Fleet applies them: for each overlay name in order, a file
 * {@code overlays/<name>/<path>} replaces (or adds) {@code <path>}, and a file whose base name contains
 * {@code _patch.} patches the file named without {@code _patch} ({@code deploy_patch.yaml} patches
 * {@code deploy.yaml}): a list is an RFC 6902 JSON Patch; otherwise a strategic merge patch for built-in kinds
 * ({@link StrategicMergePatch}) and an RFC 7386 JSON merge patch for others. Within one overlay, files apply in
 * path order. Afterwards every file under {@code overlays/} is dropped, whether its overlay was selected or not.
 */
final class Overlays {

    static final String PREFIX = "overlays/";

    private Overlays() {
    }

    static BundleFiles apply(BundleFiles files, List<String> overlays) throws RenderException {
        SortedMap<String, byte[]> content = new TreeMap<>(files.asMap());
        for (String overlay : overlays == null ? List.<String>of() : overlays) {
            String prefix = PREFIX + overlay + "/";
            List<String> names = new ArrayList<>(content.subMap(prefix, prefix + Character.MAX_VALUE).keySet());
            for (String overlayFile : names) {
                String path = overlayFile.substring(prefix.length());
                String target = patchTarget(path);
                if (target == null) {
                    content.put(path, content.get(overlayFile));
                } else {
                    content.put(target, patch(content, target, overlayFile));
                }
            }
        }
        content.keySet().removeIf(name -> name.startsWith(PREFIX));
        return BundleFiles.of(content);
    }

    /** The file a patch file applies to, or {@code null} when {@code path} is not a patch file. */
    static String patchTarget(String path) {
        int slash = path.lastIndexOf('/');
        String base = path.substring(slash + 1);
        int at = base.indexOf("_patch.");
        if (at < 0) {
            return null;
        }
        return path.substring(0, slash + 1) + base.substring(0, at) + base.substring(at + "_patch".length());
    }

    private static byte[] patch(SortedMap<String, byte[]> content, String target, String patchFile)
            throws RenderException {
        byte[] base = content.get(target);
        if (base == null) {
            throw RenderException.inFile(patchFile, null, "failed to find base file " + target + " to patch");
        }
        Object original = ManifestParser.parseSingle(target, new String(base, StandardCharsets.UTF_8));
        Object patch = ManifestParser.parseSingle(patchFile, new String(content.get(patchFile), StandardCharsets.UTF_8));
        try {
            Object patched;
            if (patch instanceof List<?> operations) {
                patched = JsonPatch.apply(original, operations);
            } else if (StrategicMergePatch.appliesTo(original)) {
                patched = StrategicMergePatch.apply(original, patch);
            } else {
                patched = JsonMergePatch.apply(original, patch);
            }
            return ManifestParser.JSON.writeValueAsBytes(patched);
        } catch (JsonPatch.PatchException e) {
            throw RenderException.inFile(patchFile, null, "failed to patch " + target + ": " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw RenderException.inFile(patchFile, null, "failed to patch " + target + ": " + e.getOriginalMessage(), e);
        }
    }
}
