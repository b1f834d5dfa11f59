package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.manager.api.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code flotilla describe}'s rendering, pure: objects in, the exact text out. */
class DescribeViewTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static JsonNode bd(String bundle, String cluster, String state, String status) {
        return json("{'kind':'BundleDeployment','metadata':{'name':'" + bundle + "','namespace':'cluster-" + cluster
                + "','labels':{'flotilla.io/bundle-name':'" + bundle + "','flotilla.io/cluster':'" + cluster + "'}},"
                + "'status':{'display':{'state':'" + state + "'}" + (status.isEmpty() ? "" : "," + status) + "}}");
    }

    private static JsonNode event(String kind, String name, String type, String reason, String message, int count,
                                  String last) {
        return json("{'metadata':{'name':'" + name + ".1','namespace':'fleet-default'},'involvedObject':{'kind':'" + kind
                + "','name':'" + name + "'},'type':'" + type + "','reason':'" + reason + "','message':'" + message
                + "','count':" + count + ",'lastTimestamp':'" + last + "'}");
    }

    private static final JsonNode GITREPO = json("""
            {'kind':'GitRepo','metadata':{'name':'apps','namespace':'fleet-default'},
             'spec':{'repo':'git://127.0.0.1/apps','branch':'main'},
             'status':{'commit':'abc123','readyClusters':1,'desiredReadyClusters':2,
               'display':{'readyBundleDeployments':'2/3','state':'NotReady','message':'NotReady(1) [Cluster c2]'},
               'conditions':[{'type':'Ready','status':'False','reason':'','message':'NotReady(1) [Cluster c2]'},
                             {'type':'Stalled','status':'False'}]}}""");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a GitRepo: bundles, per-cluster BDs with state and message, events oldest first",
                        GITREPO,
                        List.of(json("{'metadata':{'name':'apps-web'},'status':{'display':{'readyClusters':'1/2'}}}"),
                                json("{'metadata':{'name':'apps-db'},'status':{'display':{'readyClusters':'1/1'}}}")),
                        List.of(bd("apps-web", "c2", "NotReady", "'nonReadyStatus':[{'kind':'Deployment','namespace':'web',"
                                        + "'name':'web','summary':{'state':'in-progress','message':['0/1 replicas ready']}}]"),
                                bd("apps-web", "c1", "Ready", ""),
                                bd("apps-db", "c1", "Ready", "")),
                        List.of(event("GitRepo", "apps", "Normal", "BundlesBuilt", "2 bundles built from commit abc123: apps-db, apps-web", 1,
                                        "2026-11-28T09:59:00Z"),
                                event("GitRepo", "apps", "Normal", "CommitFetched", "fetched commit abc123 of git://127.0.0.1/apps", 1,
                                        "2026-11-28T09:58:59Z")),
                        """
                                Name:           apps
                                Namespace:      fleet-default
                                Kind:           GitRepo
                                Labels:         <none>
                                Repo:           git://127.0.0.1/apps
                                Branch:         main
                                Commit:         abc123
                                Ready BDs:      2/3
                                Ready clusters: 1/2
                                State:          NotReady
                                Message:        NotReady(1) [Cluster c2]
                                Conditions:
                                  TYPE      STATUS   REASON   MESSAGE
                                  Ready     False             NotReady(1) [Cluster c2]
                                  Stalled   False
                                Resources:
                                  GitRepo apps
                                  ├── Bundle apps-db  (ready clusters 1/1)
                                  │   └── c1  Ready
                                  └── Bundle apps-web  (ready clusters 1/2)
                                      ├── c1  Ready
                                      └── c2  NotReady  deployment web/web in-progress: 0/1 replicas ready
                                Events:
                                  LAST SEEN   TYPE     REASON          OBJECT         COUNT   MESSAGE
                                  61s         Normal   CommitFetched   gitrepo/apps   1       fetched commit abc123 of git://127.0.0.1/apps
                                  60s         Normal   BundlesBuilt    gitrepo/apps   1       2 bundles built from commit abc123: apps-db, apps-web
                                """),
                Arguments.of("a GitRepo whose fetch fails: no bundles yet, the warning counted",
                        json("""
                                {'kind':'GitRepo','metadata':{'name':'broken','namespace':'fleet-default','labels':{'team':'a'}},
                                 'spec':{'repo':'git://127.0.0.1/none','revision':'v1'},
                                 'status':{'display':{'state':'Stalled','message':'Unreachable: repository not found'},
                                   'conditions':[{'type':'Stalled','status':'True','reason':'Unreachable',
                                                  'message':'repository\\nnot found'}]}}"""),
                        List.of(), List.of(),
                        List.of(event("GitRepo", "broken", "Warning", "FetchFailed", "Unreachable: repository not found", 7,
                                "2026-11-28T07:00:00Z")),
                        """
                                Name:           broken
                                Namespace:      fleet-default
                                Kind:           GitRepo
                                Labels:         team=a
                                Repo:           git://127.0.0.1/none
                                Revision:       v1
                                State:          Stalled
                                Message:        Unreachable: repository not found
                                Conditions:
                                  TYPE      STATUS   REASON        MESSAGE
                                  Stalled   True     Unreachable   repository not found
                                Resources:
                                  GitRepo broken
                                  └── <no bundles>
                                Events:
                                  LAST SEEN   TYPE      REASON        OBJECT           COUNT   MESSAGE
                                  3h          Warning   FetchFailed   gitrepo/broken   7       Unreachable: repository not found
                                """),
                Arguments.of("a Cluster: its BDs by bundle, an apply error from the Deployed condition",
                        json("""
                                {'kind':'Cluster','metadata':{'name':'c1','namespace':'fleet-default','labels':{'env':'dev'}},
                                 'status':{'agent':{'connected':true,'lastSeen':'2026-11-28T09:59:58Z'},
                                   'display':{'readyBundles':'1/2','state':'ErrApplied'}}}"""),
                        List.of(),
                        List.of(bd("apps-db", "c1", "ErrApplied", "'conditions':[{'type':'Deployed','status':'False',"
                                        + "'reason':'Error','message':'namespace db is forbidden'}]"),
                                bd("apps-web", "c1", "Ready", "")),
                        List.of(),
                        """
                                Name:           c1
                                Namespace:      fleet-default
                                Kind:           Cluster
                                Labels:         env=dev
                                Agent:          connected
                                Last seen:      2026-11-28T09:59:58Z
                                Ready bundles:  1/2
                                State:          ErrApplied
                                Conditions:
                                  <none>
                                Resources:
                                  Cluster c1
                                  ├── apps-db   ErrApplied  namespace db is forbidden
                                  └── apps-web  Ready
                                Events:
                                  <none>
                                """),
                Arguments.of("a BundleDeployment: no tree",
                        json("""
                                {'kind':'BundleDeployment','metadata':{'name':'apps-web','namespace':'cluster-c1'},
                                 'spec':{'deploymentID':'s-1:abc'},'status':{'appliedDeploymentID':'s-1:abc',
                                 'display':{'state':'Modified'}}}"""),
                        List.of(), List.of(), List.of(),
                        """
                                Name:           apps-web
                                Namespace:      cluster-c1
                                Kind:           BundleDeployment
                                Labels:         <none>
                                DeploymentID:   s-1:abc
                                Applied:        s-1:abc
                                State:          Modified
                                Conditions:
                                  <none>
                                Events:
                                  <none>
                                """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersFactsConditionsTreeAndEvents(String name, JsonNode object, List<JsonNode> bundles, List<JsonNode> bds,
                                             List<JsonNode> events, String expected) {
        assertThat(DescribeView.render(object, bundles, bds, events, NOW)).isEqualTo(expected);
    }
}
