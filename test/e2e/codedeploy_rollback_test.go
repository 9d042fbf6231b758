package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/loadtest"
)

// TestCodeDeployFollowedAndRolledBack is a CodeDeploy canary (the predefined 10% for five
// minutes, on a server whose minute lasts 10 s) under keep-alive and new-connection load, followed as
// deploy tools follow one: get-deployment-target every two seconds, whose task sets must each
// report an id, an ECS status, a label, a target group, task counts and a share of traffic
// that fit the deployment's phase. At 10% with the replacement running, stop-deployment
// --auto-rollback-enabled: the deployment must end Stopped naming its rollback deployment, a
// new one by codeDeployRollback that names it back and that the client follows to Succeeded;
// list-deployments shows both, the application's revisions hold both revisions, every answer
// comes from the original revision again, and not one request failed.
func TestCodeDeployFollowedAndRolledBack(t *testing.T) {
	t.Parallel()
	// The canary holds 10% for 50 s: time for a few reads and the stop, on a busy machine too.
	s := startServer(t, t.TempDir(), "--time-scale", "6")
	bg := s.blueGreenSetup(t, func(blue, _ string) string { return "Type=forward,TargetGroupArn=" + blue })
	s.codeDeployService(t, bg.v1, bg.blueTG)
	s.codeDeployGroup(t, bg.listenerARN)

	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	load := startLoadtest(ctx, loadtest.Config{URL: bg.url, KeepAliveClients: 3, NewConnectionClients: 2, PostPercent: 20, PostPath: "/echo", Rate: 100})
	id := s.createDeployment(t, bg.v2, "CodeDeployDefault.ECSCanary10Percent5Minutes")

	// Follow the canary until the replacement runs and holds 10%, then a few reads more.
	f := &targetFollower{s: s, id: id}
	canaryReads := 0
	for deadline := time.Now().Add(3 * time.Minute); canaryReads < 3; time.Sleep(2 * time.Second) {
		if time.Now().After(deadline) {
			t.Fatalf("the canary never held 10%% with the replacement running; reads:\n%s", f.log.String())
		}
		sets := f.read(t, "Blue", "Green")
		if green := sets["Green"]; green != nil && get(green, "trafficWeight") == 10.0 && get(green, "runningCount") == 2.0 {
			canaryReads++
		}
	}
	stop := s.awsJSON(t, "deploy", "stop-deployment", "--deployment-id", id, "--auto-rollback-enabled")
	if get(stop, "status") != "Pending" {
		t.Fatalf("stop-deployment: %v", stop)
	}

	// The original ends Stopped and names its rollback deployment.
	var rollback string
	for deadline := time.Now().Add(time.Minute); rollback == ""; time.Sleep(time.Second) {
		info := s.awsJSON(t, "deploy", "get-deployment", "--deployment-id", id)
		if st := get(info, "deploymentInfo", "status"); st == "Stopped" {
			rollback, _ = get(info, "deploymentInfo", "rollbackInfo", "rollbackDeploymentId").(string)
			if rollback == "" || get(info, "deploymentInfo", "errorInformation", "code") != "MANUAL_STOP" {
				t.Fatalf("the stopped deployment: %v", info)
			}
		} else if st != "InProgress" || time.Now().After(deadline) {
			t.Fatalf("deployment %s after stop-deployment: %v", id, info)
		}
	}
	// The client follows the rollback deployment to its end.
	rb := &targetFollower{s: s, id: rollback}
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(2 * time.Second) {
		rb.read(t, "Blue", "Green")
		info := s.awsJSON(t, "deploy", "get-deployment", "--deployment-id", rollback)
		d := get(info, "deploymentInfo")
		if get(d, "creator") != "codeDeployRollback" || get(d, "rollbackInfo", "rollbackTriggeringDeploymentId") != id {
			t.Fatalf("rollback deployment: %v", info)
		}
		if st := get(d, "status"); st == "Succeeded" {
			break
		} else if st == "Failed" || st == "Stopped" || time.Now().After(deadline) {
			t.Fatalf("rollback deployment %s: %v", rollback, info)
		}
	}
	sets := rb.read(t, "Blue", "Green")
	if get(sets["Green"], "status") != "PRIMARY" || get(sets["Green"], "trafficWeight") != 100.0 || get(sets["Green"], "targetGroup", "name") != "blue" ||
		get(sets["Blue"], "status") != "DRAINING" || get(sets["Blue"], "trafficWeight") != 0.0 || get(sets["Blue"], "desiredCount") != 0.0 {
		t.Fatalf("the rollback's target at its end: %v", sets)
	}
	waitTargets(t, s, bg.greenTG, 0)
	stopLoad()
	res := <-load
	t.Logf("load during the canary and its rollback:\n%s", res)
	t.Logf("reads of the canary's target:\n%s\nreads of the rollback's target:\n%s", f.log.String(), rb.log.String())
	if res.Failed() != 0 || res.Requests() == 0 || res.Revisions["v2"] == 0 {
		t.Fatalf("%d of %d requests failed during the canary and its rollback (by revision %v)", res.Failed(), res.Requests(), res.Revisions)
	}
	checkShare(t, bg.url, "v1", 100, shareSamples)

	list := s.awsJSON(t, "deploy", "list-deployments", "--application-name", "AppECS-demo-web", "--deployment-group-name", "DgpECS-demo-web")
	if ids, _ := get(list, "deployments").([]any); len(ids) != 2 || ids[0] != rollback || ids[1] != id {
		t.Fatalf("list-deployments: %v", list)
	}
	// Both deployments registered their revisions; the rollback's (the original task set's) is
	// the group's target now.
	revs := s.awsJSON(t, "deploy", "list-application-revisions", "--application-name", "AppECS-demo-web", "--sort-by", "registerTime", "--deployed", "include")
	targets, _ := get(revs, "revisions").([]any)
	restored := s.awsJSON(t, "deploy", "get-deployment", "--deployment-id", rollback)
	want, _ := json.Marshal(get(restored, "deploymentInfo", "revision"))
	if len(targets) != 1 || !strings.Contains(fmt.Sprint(get(targets[0], "appSpecContent", "content")), bg.v1) {
		t.Fatalf("list-application-revisions --deployed include: %v", revs)
	}
	got := s.awsJSON(t, "deploy", "get-application-revision", "--application-name", "AppECS-demo-web", "--revision", string(want))
	if groups, _ := get(got, "revisionInfo", "deploymentGroups").([]any); len(groups) != 1 || groups[0] != "DgpECS-demo-web" ||
		get(got, "revisionInfo", "firstUsedTime") == nil {
		t.Fatalf("get-application-revision of the rollback's revision: %v", got)
	}
	if all, _ := get(s.awsJSON(t, "deploy", "list-application-revisions", "--application-name", "AppECS-demo-web"), "revisions").([]any); len(all) != 2 {
		t.Fatalf("list-application-revisions: %v, want the canary's and the rollback's", all)
	}
}

// targetFollower reads a deployment's ECS target as a client that draws its progress does, and
// checks each answer.
type targetFollower struct {
	s   *server
	id  string
	log strings.Builder
}

// read gets the target, checks that it is whole and sensible, and returns its task sets by
// label (only labels among want are allowed).
func (f *targetFollower) read(t *testing.T, want ...string) map[string]any {
	t.Helper()
	out := f.s.awsJSON(t, "deploy", "get-deployment-target", "--deployment-id", f.id, "--target-id", "demo:web")
	target := get(out, "deploymentTarget", "ecsTarget")
	status, _ := get(target, "status").(string)
	events, _ := get(target, "lifecycleEvents").([]any)
	if !slices.Contains([]string{"Pending", "InProgress", "Ready", "Succeeded", "Failed"}, status) || len(events) != 8 ||
		get(target, "lastUpdatedAt") == nil || get(target, "targetArn") == nil || get(target, "deploymentId") != f.id {
		t.Fatalf("target of %s: %v", f.id, out)
	}
	sets := map[string]any{}
	weights := 0.0
	list, _ := get(target, "taskSetsInfo").([]any)
	fmt.Fprintf(&f.log, "%s %-10s", time.Now().Format("15:04:05"), status)
	for _, ts := range list {
		label, _ := get(ts, "taskSetLabel").(string)
		st, _ := get(ts, "status").(string)
		desired, _ := get(ts, "desiredCount").(float64)
		running, _ := get(ts, "runningCount").(float64)
		pending, _ := get(ts, "pendingCount").(float64)
		weight, _ := get(ts, "trafficWeight").(float64)
		group, _ := get(ts, "targetGroup", "name").(string)
		fmt.Fprintf(&f.log, " | %s %s %s %s run %v pend %v want %v, %v%%", label, get(ts, "identifer"), st, group, running, pending, desired, weight)
		if !slices.Contains(want, label) || sets[label] != nil || get(ts, "identifer") == nil || group != "blue" && group != "green" ||
			!slices.Contains([]string{"PRIMARY", "ACTIVE", "DRAINING"}, st) || weight < 0 || weight > 100 ||
			get(ts, "desiredCount") == nil || get(ts, "pendingCount") == nil || get(ts, "runningCount") == nil ||
			st != "DRAINING" && desired != 2 || st == "DRAINING" && desired != 0 || running+pending > 2 {
			t.Fatalf("task set of the target of %s: %v\nreads:\n%s", f.id, ts, f.log.String())
		}
		sets[label] = ts
		weights += weight
	}
	f.log.WriteString("\n")
	if len(list) > 0 && weights != 100 {
		t.Fatalf("the task sets' shares of traffic add up to %v%%: %v", weights, list)
	}
	return sets
}
