package io.flotilla.manager.targeting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterNamespacesTest {

    @Test
    void matchesFleetsExample() {
        assertThat(ClusterNamespaces.of("fleet-local", "local")).isEqualTo("cluster-fleet-local-local-1a3d67d0a899");
    }

    @ParameterizedTest
    @CsvSource({
        // short names are joined as they are
        "a,b,a-b",
        // 63 characters stay whole
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,b,"
                + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-b",
    })
    void safeConcatNameKeepsShortNames(String a, String b, String expected) {
        assertThat(ClusterNamespaces.safeConcatName(a, b)).isEqualTo(expected);
    }

    @Test
    void safeConcatNameCutsLongNamesAt57WhenThe57thCharacterIsAlphanumeric() {
        String full = "x".repeat(70);
        String cut = ClusterNamespaces.safeConcatName(full);
        assertThat(cut).hasSize(63).startsWith("x".repeat(57) + "-");
    }

    @Test
    void safeConcatNameCutsAt56WhenThe57thCharacterIsNot() {
        String full = "x".repeat(56) + "-" + "y".repeat(20);
        String cut = ClusterNamespaces.safeConcatName(full);
        assertThat(cut).hasSize(63).startsWith("x".repeat(56) + "-").doesNotContain("y");
    }

    @Test
    void keyHashUsesOnlyTheFirst100Bytes() {
        String base = "n".repeat(100);
        assertThat(ClusterNamespaces.keyHash(base + "tail-1")).isEqualTo(ClusterNamespaces.keyHash(base + "tail-2"))
                .hasSize(12);
        assertThat(ClusterNamespaces.keyHash("a")).isNotEqualTo(ClusterNamespaces.keyHash("b"));
    }

    @Test
    void longClusterNamesGiveValidNamespaceNames() {
        String ns = ClusterNamespaces.of("fleet-default", "a-really-long-cluster-name-from-some-cloud-provider-x");
        assertThat(ns).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    }
}
