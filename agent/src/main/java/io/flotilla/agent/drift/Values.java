package io.flotilla.agent.drift;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * "Live satisfies desired": every field the desired value sets is present with the same value in the live
 * value; fields only the live value has (server defaults, other controllers' additions) are ignored.
 * Lists must have the same length and match element by element, so defaulted fields inside list elements
 * (container ports, probes) do not count as drift.
 */
final class Values {
    private Values() {
    }

    static boolean satisfies(Object desired, Object live) {
        if (desired instanceof Map<?, ?> d) {
            if (!(live instanceof Map<?, ?> l)) {
                return false;
            }
            for (Map.Entry<?, ?> e : d.entrySet()) {
                Object liveValue = l.get(e.getKey());
                if (e.getValue() == null) {
                    if (liveValue != null) {
                        return false;
                    }
                } else if (!satisfies(e.getValue(), liveValue)) {
                    return false;
                }
            }
            return true;
        }
        if (desired instanceof List<?> d) {
            if (!(live instanceof List<?> l) || d.size() != l.size()) {
                return false;
            }
            for (int i = 0; i < d.size(); i++) {
                if (!satisfies(d.get(i), l.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (desired instanceof Number d && live instanceof Number l) {
            return new BigDecimal(d.toString()).compareTo(new BigDecimal(l.toString())) == 0;
        }
        return desired == null ? live == null : desired.equals(live);
    }
}
