package io.flotilla.agent.readiness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.flotilla.agent.model.Json;
import io.flotilla.agent.model.ObjectRef;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReadinessTest {
    private static final String DEPLOY = "'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','generation':1}";
    private static final String STS = "'apiVersion':'apps/v1','kind':'StatefulSet','metadata':{'name':'db'}";
    private static final String DS = "'apiVersion':'apps/v1','kind':'DaemonSet','metadata':{'name':'agent'}";
    private static final String JOB = "'apiVersion':'batch/v1','kind':'Job','metadata':{'name':'migrate'}";
    private static final String PVC = "'apiVersion':'v1','kind':'PersistentVolumeClaim','metadata':{'name':'data'}";
    private static final String SVC = "'apiVersion':'v1','kind':'Service','metadata':{'name':'svc'}";
    private static final String CRD = "'apiVersion':'apiextensions.k8s.io/v1','kind':'CustomResourceDefinition','metadata':{'name':'widgets.example.com'}";
    private static final String POD = "'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'}";
    private static final String CR = "'apiVersion':'example.com/v1','kind':'Widget','metadata':{'name':'w','generation':2}";

    /** name, object (JSON with single quotes), ignore.conditions (JSON), expected §7.4 summary string, ready. */
    static Stream<Arguments> cases() {
        return Stream.of(
                // Deployment: kstatus replica and generation checks, condition error mapping
                arguments("deployment without status", "{" + DEPLOY + ",'spec':{}}", "[]",
                        "[progressing] Replicas: 0/1", false),
                arguments("deployment available", "{" + DEPLOY + ",'spec':{'replicas':2},'status':{'observedGeneration':1,"
                        + "'replicas':2,'updatedReplicas':2,'readyReplicas':2,'availableReplicas':2}}", "[]", "active", true),
                arguments("deployment generation not observed", "{" + DEPLOY.replace("'generation':1", "'generation':2")
                        + ",'status':{'observedGeneration':1,'replicas':1,'updatedReplicas':1,'readyReplicas':1,"
                        + "'availableReplicas':1}}", "[]",
                        "[progressing] Deployment generation is 2, but latest observed generation is 1", false),
                arguments("deployment rolling out", "{" + DEPLOY + ",'spec':{'replicas':3},'status':{'replicas':3,"
                        + "'updatedReplicas':2,'readyReplicas':3,'availableReplicas':3}}", "[]", "[progressing] Updated: 2/3", false),
                arguments("deployment with surplus pods", "{" + DEPLOY + ",'spec':{'replicas':3},'status':{'replicas':4,"
                        + "'updatedReplicas':3,'readyReplicas':3,'availableReplicas':3}}", "[]",
                        "[progressing] Pending termination: 1", false),
                arguments("deployment not all available", "{" + DEPLOY + ",'spec':{'replicas':3},'status':{'replicas':3,"
                        + "'updatedReplicas':3,'readyReplicas':3,'availableReplicas':2}}", "[]", "[progressing] Available: 2/3", false),
                arguments("deployment not all ready", "{" + DEPLOY + ",'spec':{'replicas':3},'status':{'replicas':3,"
                        + "'updatedReplicas':3,'readyReplicas':2,'availableReplicas':3}}", "[]", "[progressing] Ready: 2/3", false),
                arguments("deployment progress deadline exceeded", "{" + DEPLOY + ",'status':{'replicas':1,'updatedReplicas':1,"
                        + "'readyReplicas':0,'availableReplicas':0,'conditions':[{'type':'Progressing','status':'False',"
                        + "'reason':'ProgressDeadlineExceeded','message':'ReplicaSet web-1 has timed out progressing.'}]}}",
                        "[]", "[error] ReplicaSet web-1 has timed out progressing., Progress deadline exceeded", false),
                arguments("deployment replica failure", "{" + DEPLOY + ",'status':{'replicas':1,'updatedReplicas':1,"
                        + "'readyReplicas':1,'availableReplicas':1,'conditions':[{'type':'ReplicaFailure','status':'True',"
                        + "'reason':'FailedCreate','message':'pods web-1 is forbidden: exceeded quota'}]}}", "[]",
                        "[error] pods web-1 is forbidden: exceeded quota", false),
                arguments("deployment Available=False", "{" + DEPLOY + ",'status':{'replicas':1,'updatedReplicas':1,"
                        + "'readyReplicas':1,'availableReplicas':1,'conditions':[{'type':'Available','status':'False',"
                        + "'message':'Deployment does not have minimum availability.'}]}}", "[]",
                        "[progressing] Deployment does not have minimum availability., Deployment not Available", false),
                arguments("deployment Available=False ignored", "{" + DEPLOY + ",'status':{'replicas':1,'updatedReplicas':1,"
                        + "'readyReplicas':1,'availableReplicas':1,'conditions':[{'type':'Available','status':'False'}]}}",
                        "[{'type':'Available'}]", "active", true),
                arguments("deployment ignore needs every key to match", "{" + DEPLOY + ",'status':{'replicas':1,"
                        + "'updatedReplicas':1,'readyReplicas':1,'availableReplicas':1,'conditions':[{'type':'Available',"
                        + "'status':'False'}]}}", "[{'type':'Available','status':'True'}]",
                        "[progressing] Deployment not Available", false),
                arguments("deployment scaled to zero", "{" + DEPLOY + ",'spec':{'replicas':0},'status':{}}", "[]", "active", true),
                // StatefulSet
                arguments("statefulset without status", "{" + STS + ",'spec':{}}", "[]", "[progressing] Replicas: 0/1", false),
                arguments("statefulset not ready", "{" + STS + ",'spec':{'replicas':3},'status':{'replicas':3,'readyReplicas':2}}",
                        "[]", "[progressing] Ready: 2/3", false),
                arguments("statefulset revision rolling", "{" + STS + ",'spec':{'replicas':1},'status':{'replicas':1,"
                        + "'readyReplicas':1,'currentRevision':'db-1','updateRevision':'db-2'}}", "[]",
                        "[progressing] Waiting for updated revision db-2 to match current db-1", false),
                arguments("statefulset current", "{" + STS + ",'spec':{'replicas':1},'status':{'replicas':1,'readyReplicas':1,"
                        + "'currentRevision':'db-1','updateRevision':'db-1'}}", "[]", "active", true),
                arguments("statefulset OnDelete", "{" + STS + ",'spec':{'updateStrategy':{'type':'OnDelete'}}}", "[]", "active", true),
                arguments("statefulset partition not updated", "{" + STS + ",'spec':{'replicas':3,'updateStrategy':{"
                        + "'rollingUpdate':{'partition':2}}},'status':{'replicas':3,'readyReplicas':3,'updatedReplicas':0}}",
                        "[]", "[progressing] updated: 0/1", false),
                // DaemonSet
                arguments("daemonset without status", "{" + DS + "}", "[]",
                        "[progressing] Missing .status.desiredNumberScheduled", false),
                arguments("daemonset scheduling", "{" + DS + ",'status':{'desiredNumberScheduled':3,'currentNumberScheduled':2}}",
                        "[]", "[progressing] Current: 2/3", false),
                arguments("daemonset not ready", "{" + DS + ",'status':{'desiredNumberScheduled':3,'currentNumberScheduled':3,"
                        + "'updatedNumberScheduled':3,'numberAvailable':3,'numberReady':2}}", "[]", "[progressing] Ready: 2/3", false),
                arguments("daemonset current", "{" + DS + ",'status':{'desiredNumberScheduled':3,'currentNumberScheduled':3,"
                        + "'updatedNumberScheduled':3,'numberAvailable':3,'numberReady':3}}", "[]", "active", true),
                // Job
                arguments("job not started", "{" + JOB + "}", "[]", "[progressing] Job not started", false),
                arguments("job running", "{" + JOB + ",'status':{'startTime':'2026-01-01T00:00:00Z','active':1}}", "[]",
                        "[progressing] Job in progress. success:0, active: 1, failed: 0", false),
                arguments("job complete", "{" + JOB + ",'status':{'startTime':'2026-01-01T00:00:00Z','succeeded':1,"
                        + "'conditions':[{'type':'Complete','status':'True'}]}}", "[]", "active", true),
                arguments("job failed", "{" + JOB + ",'status':{'startTime':'2026-01-01T00:00:00Z','failed':3,"
                        + "'conditions':[{'type':'Failed','status':'True','reason':'BackoffLimitExceeded',"
                        + "'message':'Job has reached the specified backoff limit'}]}}", "[]",
                        "[error] Job has reached the specified backoff limit, Job Failed. failed: 3", false),
                // PersistentVolumeClaim
                arguments("pvc pending", "{" + PVC + ",'status':{'phase':'Pending'}}", "[]",
                        "[progressing] PVC is not Bound. phase: Pending", false),
                arguments("pvc bound", "{" + PVC + ",'status':{'phase':'Bound'}}", "[]", "bound", true),
                // Service
                arguments("clusterIP service", "{" + SVC + ",'spec':{'type':'ClusterIP'}}", "[]", "active", true),
                arguments("load balancer without ingress", "{" + SVC + ",'spec':{'type':'LoadBalancer'},'status':{"
                        + "'loadBalancer':{}}}", "[]", "[progressing] waiting for load balancer ingress", false),
                arguments("load balancer with ingress", "{" + SVC + ",'spec':{'type':'LoadBalancer'},'status':{'loadBalancer':"
                        + "{'ingress':[{'ip':'10.0.0.1'}]}}}", "[]", "active", true),
                // CustomResourceDefinition
                arguments("crd established", "{" + CRD + ",'status':{'conditions':[{'type':'NamesAccepted','status':'True'},"
                        + "{'type':'Established','status':'True'}]}}", "[]", "active", true),
                arguments("crd without status", "{" + CRD + "}", "[]", "[progressing] CRD is not established", false),
                arguments("crd names rejected", "{" + CRD + ",'status':{'conditions':[{'type':'NamesAccepted','status':'False',"
                        + "'message':'plural name conflicts'}]}}", "[]", "[error] plural name conflicts", false),
                arguments("crd establishing", "{" + CRD + ",'status':{'conditions':[{'type':'Established','status':'False',"
                        + "'message':'not all names are accepted'}]}}", "[]",
                        "[progressing] not all names are accepted, CRD is not established", false),
                // Pod
                arguments("pod ready", "{" + POD + ",'status':{'phase':'Running','conditions':[{'type':'Ready','status':'True'}]}}",
                        "[]", "running", true),
                arguments("pod not ready", "{" + POD + ",'status':{'phase':'Running','conditions':[{'type':'Ready',"
                        + "'status':'False','message':'containers with unready status: [app]'}]}}", "[]",
                        "[progressing] containers with unready status: [app], Pod is not Ready", false),
                arguments("pod succeeded", "{" + POD + ",'status':{'phase':'Succeeded','conditions':[{'type':'Ready',"
                        + "'status':'False','reason':'PodCompleted'}]}}", "[]", "succeeded", true),
                arguments("pod failed", "{" + POD + ",'status':{'phase':'Failed'}}", "[]",
                        "[error] Pod has completed, but not successfully", false),
                arguments("pod crash looping", "{" + POD + ",'status':{'phase':'Running','containerStatuses':[{'name':'app',"
                        + "'state':{'waiting':{'reason':'CrashLoopBackOff'}}}],'conditions':[{'type':'Ready','status':'True'}]}}",
                        "[]", "[error] Pod is in CrashLoopBackOff", false),
                // objects without status are ready when present
                arguments("configmap", "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'a':'1'}}", "[]",
                        "active", true),
                arguments("secret", "{'apiVersion':'v1','kind':'Secret','metadata':{'name':'s'}}", "[]", "active", true),
                arguments("cluster role", "{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'ClusterRole','metadata':"
                        + "{'name':'r'},'rules':[]}", "[]", "active", true),
                arguments("service account", "{'apiVersion':'v1','kind':'ServiceAccount','metadata':{'name':'sa'}}", "[]",
                        "active", true),
                // generic conditions on any kind
                arguments("custom resource Ready=True", "{" + CR + ",'status':{'observedGeneration':2,'conditions':[{'type':"
                        + "'Ready','status':'True'}]}}", "[]", "active", true),
                arguments("custom resource Ready=False", "{" + CR + ",'status':{'conditions':[{'type':'Ready','status':'False',"
                        + "'message':'waiting for backend'}]}}", "[]", "[progressing] waiting for backend", false),
                arguments("custom resource Ready=Unknown", "{" + CR + ",'status':{'conditions':[{'type':'Ready',"
                        + "'status':'Unknown'}]}}", "[]", "[progressing]", false),
                arguments("custom resource Stalled", "{" + CR + ",'status':{'conditions':[{'type':'Stalled','status':'True',"
                        + "'message':'bad spec'}]}}", "[]", "[error] bad spec", false),
                arguments("custom resource Failed", "{" + CR + ",'status':{'conditions':[{'type':'Failed','status':'True',"
                        + "'message':'it broke'}]}}", "[]", "[error] it broke", false),
                arguments("custom resource reason Error", "{" + CR + ",'status':{'conditions':[{'type':'Synced','status':'False',"
                        + "'reason':'Error','message':'sync failed'}]}}", "[]", "[error] sync failed", false),
                arguments("custom resource Reconciling", "{" + CR + ",'status':{'conditions':[{'type':'Reconciling',"
                        + "'status':'True','message':'working'}]}}", "[]", "[progressing] working", false),
                arguments("custom resource generation not observed", "{" + CR + ",'status':{'observedGeneration':1}}", "[]",
                        "[progressing] Widget generation is 2, but latest observed generation is 1", false),
                arguments("custom resource Stalled ignored", "{" + CR + ",'status':{'conditions':[{'type':'Stalled',"
                        + "'status':'True'}]}}", "[{'type':'Stalled','status':'True'}]", "active", true),
                arguments("custom resource being deleted", "{'apiVersion':'example.com/v1','kind':'Widget','metadata':{'name':'w',"
                        + "'deletionTimestamp':'2026-01-01T00:00:00Z'}}", "[]", "[progressing] Resource scheduled for deletion", false),
                arguments("status.summary error", "{" + CR + ",'status':{'summary':{'state':'broken','error':true,"
                        + "'message':['disk full']}}}", "[]", "[error] disk full", false),
                arguments("status.summary transitioning and error", "{" + CR + ",'status':{'summary':{'state':'x','error':true,"
                        + "'transitioning':true,'message':['a','b']}}}", "[]", "[progressing,error] a, b", false),
                arguments("node under memory pressure", "{'apiVersion':'v1','kind':'Node','metadata':{'name':'n'},'status':"
                        + "{'conditions':[{'type':'MemoryPressure','status':'True','message':'low memory'}]}}", "[]",
                        "[error] low memory", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void summarizes(String name, String object, String ignore, String expected, boolean ready) {
        List<Map<String, String>> ignoreConditions = Json.readList(json(ignore)).stream()
                .map(m -> (Map<String, String>) (Map) m).toList();

        ObjectSummary summary = Readiness.summarize(Json.readMap(json(object)), ignoreConditions);

        assertThat(summary.display()).isEqualTo(expected);
        assertThat(summary.ready()).isEqualTo(ready);
    }

    @Test
    void statesAreLowerCaseAndDefaultToActive() {
        assertThat(Readiness.summarize(Json.readMap(json("{" + POD + ",'status':{'phase':'Running','conditions':"
                + "[{'type':'Ready','status':'True'}]}}")), List.of()).state()).isEqualTo("running");
        assertThat(Readiness.summarize(Json.readMap(json("{'kind':'ConfigMap'}")), null).state()).isEqualTo("active");
        assertThat(Readiness.summarize(Json.readMap(json("{" + DEPLOY + "}")), List.of()).state()).isEqualTo("in-progress");
        assertThat(Readiness.summarize(Json.readMap(json("{" + CR + ",'status':{'conditions':[{'type':'Ready','status':"
                + "'False'}]}}")), List.of()).state()).isEqualTo("unavailable");
        assertThat(Readiness.summarize(Json.readMap(json("{" + DEPLOY + ",'status':{'replicas':1,'updatedReplicas':1,"
                + "'readyReplicas':1,'availableReplicas':1,'conditions':[{'type':'Available','status':'False'}]}}")),
                List.of()).state()).isEqualTo("updating");
    }

    @Test
    void nonReadyStatusStringNamesTheObject() {
        ObjectSummary summary = new ObjectSummary("in-progress", false, true, List.of("Updated: 0/1"));
        assertThat(new NonReadyStatus("u1", new ObjectRef("apps/v1", "Deployment", "default", "web"), summary))
                .hasToString("deployment.apps default/web [progressing] Updated: 0/1");
        assertThat(new NonReadyStatus(null, new ObjectRef("v1", "Service", "ns", "svc-test"),
                new ObjectSummary("error", true, false, List.of()))).hasToString("service.v1 ns/svc-test [error]");
        assertThat(new ObjectSummary("bound", false, false, List.of("ignored")).display()).isEqualTo("bound");
    }

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }
}
