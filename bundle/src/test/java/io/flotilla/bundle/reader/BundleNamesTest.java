package io.flotilla.bundle.reader;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BundleNamesTest {

    private static final String STR50 = "12345678901234567890123456789012345678901234567890";
    private static final String STR53 = STR50 + "123";
    private static final String STR63 = STR50 + "1234567890" + "123";

    // Fleet's own vectors (internal/names/name_test.go)
    @ParameterizedTest
    @CsvSource({
        "1234567, 5, 12345",
        "1234567, 6, 123456",
        "1234567, 7, 1234567",
        "1234567, 8, 1234567",
        "12345678, 8, 12345678",
        "12345678, 7, 1-25d55",
        "123456789, 8, 12-25f9e",
        "1-3456789, 8, 1-9b657",
    })
    void limitMatchesFleet(String input, int count, String expected) {
        assertThat(BundleNames.limit(input, count)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        STR53 + "|" + STR53,
        STR53 + "a|12345678901234567890123456789012345678901234567-fdba4",
        STR63 + "a|12345678901234567890123456789012345678901234567-eb12d",
        "long-name-test-shortpath-with@char|long-name-test-shortpath-with-char-031bab5e",
        "long-name-test-shortpath-with+char|long-name-test-shortpath-with-char-21c88393",
        "'long-name-test-0.App_ '|long-name-test-0-app-5bf6b3fb",
        "long-name-test--App_-_12.factor|long-name-test-app-12-factor-0efbac37",
        "bundle.name.example.com|bundle-name-example-com-645ef821",
        "1234567890123456789012345678901234567890123456-1234567|1234567890123456789012345678901234567890123456-d0bce",
        "test/simple|test-simple",
        "---|9efc314b65237d5d646e1b81",
    })
    void helmReleaseNameMatchesFleet(String input, String expected) {
        assertThat(BundleNames.helmReleaseName(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "test|.||test",
        "test|./|''|test",
        "test|charts/app||test/charts/app",
        "test|charts/app/|''|test/charts/app",
        "test|app|dev.yaml|test/app/dev",
        "test|app|envs/prod.yaml|test/app/envs/prod",
        "test|.|opts|test/opts",
        "test|app|values.d/x|test/app/values.d/x",
    })
    void bundleIdJoinsRepoDirAndOptionsFile(String repo, String dir, String options, String expected) {
        assertThat(BundleNames.bundleId(repo, dir, options)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "test|.|test",
        "test|simple|test-simple",
        "test|charts/guestbook|test-charts-guestbook",
        "my-repo|Apps/Web_App|my-repo-apps-web-app-559164c2",
        "test|.hidden|test-hidden-57bb3912",
        "repo|a-very-long-directory-name/with-many/nested-levels/of-folders|repo-a-very-long-directory-name-with-many-neste-dec12",
        "long-repository-name|environments/production/applications/frontend-web|long-repository-name-environments-production-ap-4427e",
    })
    void bundleNameOfDirectory(String repo, String dir, String expected) {
        String name = BundleNames.bundleName(repo, dir, "");
        assertThat(name).isEqualTo(expected).hasSizeLessThanOrEqualTo(BundleNames.MAX_HELM_RELEASE_NAME_LENGTH);
    }
}
