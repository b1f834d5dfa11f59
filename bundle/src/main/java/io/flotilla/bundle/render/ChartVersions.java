package io.flotilla.bundle.render;

/** Orders chart versions like semantic versions: numeric major.minor.patch, then a release above a pre-release. */
final class ChartVersions {

    private ChartVersions() {
    }

    static int compare(String a, String b) {
        String[] left = core(a);
        String[] right = core(b);
        for (int i = 0; i < 3; i++) {
            int c = Long.compare(number(left, i), number(right, i));
            if (c != 0) {
                return c;
            }
        }
        boolean leftPre = preRelease(a) != null;
        boolean rightPre = preRelease(b) != null;
        if (leftPre != rightPre) {
            return leftPre ? -1 : 1;
        }
        return leftPre ? preRelease(a).compareTo(preRelease(b)) : 0;
    }

    private static String[] core(String version) {
        String v = version.startsWith("v") ? version.substring(1) : version;
        int end = v.length();
        for (char c : new char[] {'-', '+'}) {
            int at = v.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return v.substring(0, end).split("\\.");
    }

    private static String preRelease(String version) {
        int dash = version.indexOf('-');
        int plus = version.indexOf('+');
        if (dash < 0 || plus >= 0 && plus < dash) {
            return null;
        }
        return plus < 0 ? version.substring(dash + 1) : version.substring(dash + 1, plus);
    }

    private static long number(String[] parts, int i) {
        if (i >= parts.length) {
            return 0;
        }
        try {
            return Long.parseLong(parts[i]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
