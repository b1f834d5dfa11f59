package io.flotilla.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.manager.api.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code apply --wait}'s decision from a stored GitRepo: Ready only once the applied spec is observed and Ready is True. */
class GitRepoReadinessTest {
    private static final String READY = "{'type':'Ready','status':'True'}";
    private static final String NOT_READY = "{'type':'Ready','status':'False','message':'NotReady(1) [Bundle shop-web]'}";
    private static final String STALLED = "{'type':'Stalled','status':'True','message':'fetch failed: repository not found'}";
    private static final String NON_READY_RESOURCES = ",'summary':{'nonReadyResources':[{'name':'shop-web','bundleState':"
            + "'ErrApplied','message':'no matches for kind Widget','nonReadyStatus':[{'kind':'Deployment','namespace':'shop',"
            + "'name':'web','summary':{'state':'in progress','message':['0 of 1 ready']}}],'modifiedStatus':[{'kind':"
            + "'ConfigMap','namespace':'shop','name':'settings','missing':true}]}]}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not fetched yet                | {}                                                                                       | 3 | false | fetching | waiting for the manager to fetch the repository
            an older generation observed   | {'observedGeneration':2,'commit':'abc','conditions':[READY]}                            | 3 | false | fetching | waiting for the manager to fetch the repository
            stalled before a fetch         | {'conditions':[STALLED]}                                                                 | 1 | false | fetching | stalled: fetch failed: repository not found
            observed and Ready             | {'observedGeneration':3,'commit':'abc','readyClusters':2,'desiredReadyClusters':2,'display':{'readyBundleDeployments':'4/4'},'conditions':[READY]} | 3 | true | 4/4 bundledeployments ready, 2/2 clusters ready |
            observed, not Ready, resources | {'observedGeneration':3,'commit':'abc','display':{'readyBundleDeployments':'1/2'},'conditions':[NOT_READY] NRR} | 3 | false | 1/2 bundledeployments ready, 0/0 clusters ready | NotReady(1) [Bundle shop-web]/bundle shop-web: ErrApplied: no matches for kind Widget; Deployment shop/web in progress (0 of 1 ready); ConfigMap shop/settings missing
            Ready condition missing        | {'observedGeneration':3,'commit':'abc','display':{'readyBundleDeployments':'0/0'}}      | 3 | false | 0/0 bundledeployments ready, 0/0 clusters ready | Ready condition is not set yet
            Ready but stalled again        | {'observedGeneration':3,'commit':'abc','display':{'readyBundleDeployments':'2/2'},'conditions':[READY,STALLED]} | 3 | false | 2/2 bundledeployments ready, 0/0 clusters ready | stalled: fetch failed: repository not found
            """)
    void decides(String scenario, String status, long generation, boolean ready, String progress, String reasons) throws Exception {
        String json = ("{'status':" + status.replace("NOT_READY", NOT_READY).replace("READY", READY)
                .replace("STALLED", STALLED).replace(" NRR", NON_READY_RESOURCES) + "}").replace('\'', '"');
        JsonNode gitRepo = Json.MAPPER.readTree(json);
        GitRepoReadiness r = GitRepoReadiness.of(gitRepo, generation);
        assertThat(r.ready()).as(scenario).isEqualTo(ready);
        assertThat(r.progress()).as(scenario).isEqualTo(progress);
        assertThat(String.join("/", r.reasons())).as(scenario).isEqualTo(reasons == null ? "" : reasons);
    }
}
