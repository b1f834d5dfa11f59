package io.flotilla.manager.statusapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.manager.api.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** BD {@code status.display} (fleet-semantics §6.9). */
class BdDisplayTest {

    private static final String LABELS = "{\"flotilla.io/bundle-name\":\"b\",\"flotilla.io/bundle-namespace\":\"ns\","
            + "\"flotilla.io/cluster\":\"c\",\"flotilla.io/cluster-namespace\":\"ns\"}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "never reported          | a  | a  | null                                                                     | '' | '' | WaitApplied",
            "deployed and monitored  | a  | a  | {'appliedDeploymentID':'a','ready':true,'nonModified':true,'conditions':[{'type':'Deployed','status':'True'},{'type':'Monitored','status':'True'}]} | True | True | Ready",
            "deploy error            | b  | b  | {'appliedDeploymentID':'a','ready':true,'conditions':[{'type':'Deployed','status':'False','reason':'Error','message':'boom'}]} | Error: boom | '' | ErrApplied",
            "paused with staged      | a  | b  | {'appliedDeploymentID':'a','ready':true,'nonModified':true,'conditions':[{'type':'Deployed','status':'True'},{'type':'Monitored','status':'False','message':'x'}]} | True | False | OutOfSync",
            "not ready               | a  | a  | {'appliedDeploymentID':'a','ready':false,'nonModified':true,'conditions':[]} | '' | '' | NotReady"})
    void displayFromConditionsAndState(String name, String released, String staged, String status, String deployed,
                                       String monitored, String state) throws Exception {
        ObjectNode bd = (ObjectNode) Json.MAPPER.readTree(("{'kind':'BundleDeployment','metadata':{'name':'b',"
                + "'namespace':'cns','labels':" + LABELS.replace('"', '\'') + "},'spec':{'deploymentID':'" + released
                + "','stagedDeploymentID':'" + staged + "'}" + (status.equals("null") ? "" : ",'status':" + status)
                + "}").replace('\'', '"'));
        ObjectNode display = BdDisplay.of(bd);
        assertThat(display.path("deployed").asText()).isEqualTo(deployed);
        assertThat(display.path("monitored").asText()).isEqualTo(monitored);
        assertThat(display.path("state").asText()).isEqualTo(state);
        assertThat(BdDisplay.update(bd)).isTrue();
        assertThat(BdDisplay.update(bd)).isFalse();
    }
}
