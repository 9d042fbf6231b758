package e2e

import (
	"strings"
	"testing"
	"time"
)

// The ready and termination waits of TestTimeScaleWaits, which a server at --time-scale 60 runs
// in as many seconds. The termination wait is long enough for a busy machine's aws CLI to look
// at the task sets while it lasts.
const (
	scaledWaitMinutes        = 5.0
	scaledTerminationMinutes = 30.0
)

// TestTimeScaleWaits checks that the ready and the termination wait of a CodeDeploy deployment
// follow `fargo server --time-scale` (the canary and linear intervals have tests of their own,
// codedeploy_test.go and codedeploy_shift_test.go), while the API reports the minutes
// configured. The waits are 5 and 30 minutes, on a server whose minute lasts a second: a
// deployment that waited real minutes would not end within the tests' deadlines.
func TestTimeScaleWaits(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir(), "--time-scale", "60")
	if !waitLog(s, "time is scaled") {
		t.Fatalf("the server did not warn that its time is scaled:\n%s", s.logs)
	}
	bg := s.blueGreenSetup(t, func(blue, _ string) string { return "Type=forward,TargetGroupArn=" + blue })
	s.codeDeployService(t, bg.v1, bg.blueTG)
	s.codeDeployGroup(t, bg.listenerARN)

	// The ready wait: with STOP_DEPLOYMENT and no ContinueDeployment, the deployment stops
	// (TIMEOUT) after the wait.
	s.setWaits(t, "STOP_DEPLOYMENT")
	ready := s.createDeployment(t, bg.v2, "")
	s.waitDeploymentEnded(t, ready)
	info := s.awsJSON(t, "deploy", "get-deployment", "--deployment-id", ready)
	if get(info, "deploymentInfo", "status") != "Stopped" || get(info, "deploymentInfo", "errorInformation", "code") != "TIMEOUT" ||
		get(info, "deploymentInfo", "blueGreenDeploymentConfiguration", "deploymentReadyOption", "waitTimeInMinutes") != scaledWaitMinutes {
		t.Fatalf("the deployment after its ready wait: %v", info)
	}
	if rb, _ := get(info, "deploymentInfo", "rollbackInfo", "rollbackDeploymentId").(string); rb != "" {
		s.waitDeploymentEnded(t, rb)
	}

	// The termination wait: the original task set stays for the wait after all traffic moved,
	// then goes, and the deployment succeeds.
	s.setWaits(t, "CONTINUE_DEPLOYMENT")
	term := s.createDeployment(t, bg.v2, "")
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
		info = s.awsJSON(t, "deploy", "get-deployment", "--deployment-id", term)
		if get(info, "deploymentInfo", "instanceTerminationWaitTimeStarted") == true {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the termination wait did not begin: %v", info)
		}
	}
	if sets := s.taskSets(t); len(sets) != 2 {
		t.Errorf("during the termination wait: task sets %v, want the original one kept", sets)
	}
	s.waitDeploymentEnded(t, term)
	info = s.awsJSON(t, "deploy", "get-deployment", "--deployment-id", term)
	if get(info, "deploymentInfo", "status") != "Succeeded" ||
		get(info, "deploymentInfo", "blueGreenDeploymentConfiguration", "terminateBlueInstancesOnDeploymentSuccess", "terminationWaitTimeInMinutes") != scaledTerminationMinutes {
		t.Fatalf("the deployment after its termination wait: %v", info)
	}
	group := s.awsJSON(t, "deploy", "get-deployment-group", "--application-name", "AppECS-demo-web", "--deployment-group-name", "DgpECS-demo-web")
	if get(group, "deploymentGroupInfo", "blueGreenDeploymentConfiguration", "deploymentReadyOption", "waitTimeInMinutes") != scaledWaitMinutes {
		t.Fatalf("get-deployment-group: %v", group)
	}
}

// setWaits gives the deployment group of service web a ready wait of scaledWaitMinutes, with
// actionOnTimeout, and a termination wait of scaledTerminationMinutes.
func (s *server) setWaits(t *testing.T, actionOnTimeout string) {
	t.Helper()
	s.awsOK(t, "deploy", "update-deployment-group", "--application-name", "AppECS-demo-web", "--current-deployment-group-name", "DgpECS-demo-web",
		"--blue-green-deployment-configuration",
		`{"terminateBlueInstancesOnDeploymentSuccess":{"action":"TERMINATE","terminationWaitTimeInMinutes":30},`+
			`"deploymentReadyOption":{"actionOnTimeout":"`+actionOnTimeout+`","waitTimeInMinutes":5}}`)
}

// waitLog waits a moment for the server's log to hold s.
func waitLog(s *server, want string) bool {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if strings.Contains(s.logs.String(), want) {
			return true
		}
	}
	return false
}
