package io.flotilla.bundle.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChartVersionsTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({
        "1.0.0, 1.0.0, 0",
        "1.10.0, 1.9.0, 1",
        "v2.0.0, 1.99.99, 1",
        "1.0.0-rc.1, 1.0.0, -1",
        "1.0.0+build-1, 1.0.0, 0",
        "1.0.0-alpha, 1.0.0-beta, -1",
        "1.2, 1.2.0, 0",
    })
    void comparesLikeSemver(String a, String b, int sign) {
        assertThat(Integer.signum(ChartVersions.compare(a, b))).isEqualTo(sign);
    }
}
