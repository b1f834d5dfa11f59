package io.flotilla.bundle.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.bundle.options.BundleResource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which directories become bundles and which files become their resources, for trees built per case. */
class BundleScannerTest {

    @TempDir
    Path root;

    static Stream<Arguments> classicScans() {
        return Stream.of(
                arguments("loose yaml at the root makes a root bundle",
                        files("a.yaml", "b.yml"), List.of(),
                        bundles("test", "a.yaml,b.yml")),
                arguments("root fleet.yaml is not a resource",
                        files("fleet.yaml=defaultNamespace: x", "a.yaml"), List.of(),
                        bundles("test", "a.yaml")),
                arguments("sub-directories with fleet.yaml become bundles; no loose yaml, no root bundle",
                        files("app1/fleet.yaml=", "app1/d.yaml", "app2/fleet.yaml=", "app2/d.yaml", "README.md=#"),
                        List.of(),
                        bundles("test-app1", "d.yaml", "test-app2", "d.yaml")),
                arguments("loose root yaml beside sub-bundles: root bundle includes nested fleet.yaml and files",
                        files("x.yaml", "app1/fleet.yaml=", "app1/d.yaml"), List.of(),
                        bundles("test", "app1/d.yaml,app1/fleet.yaml,x.yaml", "test-app1", "d.yaml")),
                arguments("yaml in a plain sub-directory makes the root a bundle",
                        files("manifests/a.yaml", "README.md=#"), List.of(),
                        bundles("test", "README.md,manifests/a.yaml")),
                arguments("only non-yaml files: nothing",
                        files("README.md=#", "config.json={}"), List.of(),
                        bundles()),
                arguments("quirk: yaml in a hidden directory makes the root a bundle of its visible files",
                        files("README.md=#", ".github/workflows/ci.yml", "app/fleet.yaml=", "app/d.yaml"), List.of(),
                        bundles("test", "README.md,app/d.yaml,app/fleet.yaml", "test-app", "d.yaml")),
                arguments("quirk: a root bundle with only hidden content is dropped as empty",
                        files(".github/ci.yml"), List.of(),
                        bundles()),
                arguments("glob charts/* makes one walk root per chart directory",
                        files("charts/a/Chart.yaml=name: a", "charts/a/templates/x.yaml", "charts/b/k.yaml",
                                "charts/notes.txt=#", "other/o.yaml"),
                        List.of("charts/*"),
                        bundles("test-charts-a", "Chart.yaml,templates/x.yaml", "test-charts-b", "k.yaml")),
                arguments("leading slashes are stripped",
                        files("app/a.yaml", "b.yaml"), List.of("//app"),
                        bundles("test-app", "a.yaml")),
                arguments("a path that matches nothing is silently empty",
                        files("app/a.yaml"), List.of("missing", "app"),
                        bundles("test-app", "a.yaml")),
                arguments("glob matches that are files are dropped",
                        files("a.yaml", "dir/b.yaml"), List.of("*.yaml"),
                        bundles()),
                arguments("a deep fleet.yaml under a path without loose yaml",
                        files("a/b/c/fleet.yaml=", "a/b/c/x.yaml", "a/README.md=#"), List.of("a"),
                        bundles("test-a-b-c", "x.yaml")),
                arguments(".git is not walked",
                        files(".git/sub/fleet.yaml=", ".git/sub/x.yaml", "app/fleet.yaml=", "app/x.yaml"), List.of(),
                        bundles("test-app", "x.yaml")),
                arguments("a hidden directory with fleet.yaml is a bundle (name gets a hash for the dot)",
                        files(".hidden/fleet.yaml=", ".hidden/x.yaml"), List.of(),
                        bundles("test-hidden-57bb3912", "x.yaml")),
                arguments("fleet.yml is the fallback options file and not a resource",
                        files("app/fleet.yml=labels: {a: b}", "app/d.yaml"), List.of(),
                        bundles("test-app", "d.yaml")),
                arguments("with both, fleet.yaml is used and fleet.yml stays a resource",
                        files("app/fleet.yaml=", "app/fleet.yml=", "app/d.yaml"), List.of(),
                        bundles("test-app", "d.yaml,fleet.yml")),
                arguments("overlapping paths read each directory once",
                        files("app/fleet.yaml=", "app/d.yaml"), List.of(".", "app", "./app/"),
                        bundles("test-app", "d.yaml")),
                arguments("all regular files of the subtree, any extension, sorted by path",
                        files("fleet.yaml=", "sub/dir/x.yaml", "README.md=#", "b/z.json={}", "a.txt=t"), List.of(),
                        bundles("test", "README.md,a.txt,b/z.json,sub/dir/x.yaml")),
                arguments("hidden files and directories are skipped",
                        files("fleet.yaml=", ".env=X=1", "a.yaml", "sub/.hidden.yaml", ".dir/x.yaml"), List.of(),
                        bundles("test", "a.yaml")),
                arguments(".fleetignore at the root applies to the whole tree",
                        files("fleet.yaml=", ".fleetignore=*.md\nsecret.yaml\n", "a.yaml", "README.md=#",
                                "secret.yaml", "sub/README.md=#", "sub/secret.yaml", "sub/b.yaml"),
                        List.of(),
                        bundles("test", "a.yaml,sub/b.yaml")),
                arguments(".fleetignore in a sub-directory applies there and below only",
                        files("fleet.yaml=", "b.yaml", "sub/.fleetignore=b.yaml", "sub/b.yaml", "sub/deeper/b.yaml",
                                "other/b.yaml"),
                        List.of(),
                        bundles("test", "b.yaml,other/b.yaml")),
                arguments(".fleetignore dir/* ignores a directory of that name at any depth below, not a file",
                        files("fleet.yaml=", ".fleetignore=tmp/*", "tmp/x.yaml", "sub/tmp/y.yaml", "other/tmp=file",
                                "keep.yaml"),
                        List.of(),
                        bundles("test", "keep.yaml,other/tmp")),
                arguments(".fleetignore has no negation: !x only matches a file named !x",
                        files("fleet.yaml=", ".fleetignore=*.yaml\n!keep.yaml\n", "keep.yaml", "a.yaml", "n.txt=#"),
                        List.of(),
                        bundles("test", "n.txt")),
                arguments(".fleetignore comments, blank lines and trailing blanks",
                        files("fleet.yaml=", ".fleetignore=# a.yaml\n\nb.yaml   \n", "a.yaml", "b.yaml"), List.of(),
                        bundles("test", "a.yaml")),
                arguments(".fleetignore lines match base names only",
                        files("fleet.yaml=", ".fleetignore=sub/x.yaml", "sub/x.yaml"), List.of(),
                        bundles("test", "sub/x.yaml")),
                arguments(".fleetignore of a sub-bundle also filters the parent's copy",
                        files("x.yaml", "app/fleet.yaml=", "app/.fleetignore=*.txt", "app/d.yaml", "app/n.txt=#"),
                        List.of(),
                        bundles("test", "app/d.yaml,app/fleet.yaml,x.yaml", "test-app", "d.yaml")),
                arguments("helm.valuesFiles are excluded as written and by base name",
                        files("fleet.yaml=helm:\n  chart: ./chart\n  valuesFiles: [values/dev.yaml, prod.yaml]\n",
                                "chart/Chart.yaml=name: c", "values/dev.yaml=a: 1", "dev.yaml=b: 2",
                                "prod.yaml=c: 3", "values/prod.yaml=d: 4"),
                        List.of(),
                        bundles("test", "chart/Chart.yaml,values/prod.yaml")),
                arguments("valuesFiles of targetCustomizations and targets are excluded too",
                        files("fleet.yaml=targetCustomizations:\n- helm:\n    valuesFiles: [envs/dev.yaml]\n"
                                        + "targets:\n- helm:\n    valuesFiles: [envs/prod.yaml]\n",
                                "envs/dev.yaml=a: 1", "envs/prod.yaml=a: 2", "envs/test.yaml=a: 3", "d.yaml"),
                        List.of(),
                        bundles("test", "d.yaml,envs/test.yaml")),
                arguments("fleet.yaml name: replaces the whole name verbatim",
                        files("app/fleet.yaml=name: My_Bundle", "app/d.yaml"), List.of(),
                        bundles("My_Bundle", "d.yaml")),
                arguments("directory names are sanitised with a hash",
                        files("Apps/My_App/fleet.yaml=", "Apps/My_App/d.yaml"), List.of(),
                        bundles("test-apps-my-app-07558b87", "d.yaml")),
                arguments("long names are limited to 53 characters with a hash",
                        files("environments/production/applications/frontend-web/fleet.yaml=",
                                "environments/production/applications/frontend-web/d.yaml"),
                        List.of(),
                        bundles("test-environments-production-applications-front-e2a75", "d.yaml")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classicScans")
    void classicScan(String description, String[] tree, List<String> paths, Map<String, List<String>> expected) {
        Trees.write(root, tree);
        List<ScannedBundle> scanned = BundleScanner.create()
                .scan(ScanRequest.of(root, "test").withPaths(paths));
        assertThat(resourcesByBundle(scanned)).as(description).isEqualTo(expected);
    }

    static Stream<Arguments> drivenScans() {
        return Stream.of(
                arguments("one bundle per entry, options file replaces fleet.yaml and names the bundle",
                        files("app/fleet.yaml=", "app/dev.yaml=namespace: dev", "app/d.yaml"),
                        List.of(DrivenBundle.of("app"), DrivenBundle.of("app", "dev.yaml")),
                        bundles("test-app", "d.yaml,dev.yaml", "test-app-dev", "d.yaml")),
                arguments("no recursion: sub-directories with fleet.yaml stay part of the bundle",
                        files("a.yaml", "sub/fleet.yaml=", "sub/b.yaml"),
                        List.of(DrivenBundle.of(".")),
                        bundles("test", "a.yaml,sub/b.yaml,sub/fleet.yaml")),
                arguments("options file in a sub-directory",
                        files("app/envs/prod.yaml=namespace: prod", "app/envs/dev.yaml=namespace: dev", "app/d.yaml"),
                        List.of(DrivenBundle.of("app", "envs/prod.yaml")),
                        bundles("test-app-envs-prod", "d.yaml,envs/dev.yaml")),
                arguments("a directory of only ignored content is skipped",
                        files("app/.fleetignore=*", "app/d.yaml", "web/w.yaml"),
                        List.of(DrivenBundle.of("app"), DrivenBundle.of("web")),
                        bundles("test-web", "w.yaml")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivenScans")
    void drivenScan(String description, String[] tree, List<DrivenBundle> entries,
                    Map<String, List<String>> expected) {
        Trees.write(root, tree);
        List<ScannedBundle> scanned = BundleScanner.create()
                .scan(ScanRequest.of(root, "test").withBundles(entries).withPaths(List.of("ignored")));
        assertThat(resourcesByBundle(scanned)).as(description).isEqualTo(expected);
    }

    static String[] files(String... entries) {
        return entries;
    }

    /** bundles("name", "res1,res2", "name2", "res") */
    static Map<String, List<String>> bundles(String... nameAndResources) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < nameAndResources.length; i += 2) {
            out.put(nameAndResources[i], List.of(nameAndResources[i + 1].split(",")));
        }
        return out;
    }

    static Map<String, List<String>> resourcesByBundle(List<ScannedBundle> scanned) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (ScannedBundle b : scanned) {
            out.put(b.name(), b.resources().stream().map(BundleResource::name).toList());
        }
        return out;
    }
}
