package console_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	codedeploysdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
)

// revision is the store's revision: it moves with every write, so an unchanged revision
// means a request wrote nothing.
func (e *env) revision(t *testing.T) int64 {
	t.Helper()
	_, rev, err := e.Store.Clusters.List(ctx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

func TestInvalidFormsChangeNothing(t *testing.T) {
	t.Parallel()
	e := start(t)
	b := e.signedIn(t)
	seed(t, b)
	bg := func(change map[string]string) map[string]string {
		f := map[string]string{"serviceName": "web2", "taskDefinition": "web", "desiredCount": "1", "deploymentType": "bluegreen",
			"targetGroup": "tg-blue", "containerName": "app", "containerPort": "8080", "secondTargetGroup": "tg-green",
			"prodListener": listenerARN(t, b), "deploymentConfig": "CodeDeployDefault.ECSAllAtOnce"}
		for k, v := range change {
			f[k] = v
		}
		return f
	}
	tests := []struct {
		name, from, path string
		fields           map[string]string
		want             string
	}{
		{"target group name", "/target-groups", "/target-groups", map[string]string{"name": "-bad-", "port": "80"}, "(ValidationError)"},
		{"target group port", "/target-groups", "/target-groups", map[string]string{"name": "ok", "port": "99999"}, "Port must be a whole number from 1 to 65535"},
		{"load balancer of a missing target group", "/load-balancers", "/load-balancers", map[string]string{"name": "alb2", "port": "18081", "targetGroup": "ghost"}, "(TargetGroupNotFound)"},
		{"load balancer name", "/load-balancers", "/load-balancers", map[string]string{"name": "internal-x", "port": "18081", "targetGroup": "tg-blue"}, "(ValidationError)"},
		{"cluster name", "/", "/clusters", map[string]string{"clusterName": "no spaces"}, "(InvalidParameterException)"},
		{"repository name", "/repositories", "/repositories", map[string]string{"name": "UPPER"}, "(InvalidParameterException)"},
		{"task definition environment", "/task-definitions", "/task-definitions", map[string]string{"family": "x", "containerName": "a", "image": "i", "environment": "NOEQUALS"}, "NAME=value"},
		{"task definition JSON", "/task-definitions", "/task-definitions/json", map[string]string{"document": `{"family":`}, "SerializationException"},
		{"service of a missing task definition", "/clusters/demo", "/clusters/demo/services", bg(map[string]string{"taskDefinition": "ghost", "deploymentType": "rolling"}), "(ClientException)"},
		{"blue/green without a second target group", "/clusters/demo", "/clusters/demo/services", bg(map[string]string{"secondTargetGroup": ""}), "Second target group is required"},
		{"blue/green with the same target group twice", "/clusters/demo", "/clusters/demo/services", bg(map[string]string{"secondTargetGroup": "tg-blue"}), "(InvalidTargetGroupPairException)"},
		{"blue/green of an existing group", "/clusters/demo", "/clusters/demo/services", bg(map[string]string{"serviceName": "web"}), "(DeploymentGroupAlreadyExistsException)"},
		{"blue/green with an unknown configuration", "/clusters/demo", "/clusters/demo/services", bg(map[string]string{"deploymentConfig": "Nope"}), "(DeploymentConfigDoesNotExistException)"},
		{"update with a negative count", "/clusters/demo/services/web", "/clusters/demo/services/web/update", map[string]string{"desiredCount": "-3"}, "Desired tasks must be"},
		{"deployment of a missing service", "/", "/clusters/demo/services/ghost/deployments", map[string]string{"taskDefinition": "web:1"}, "(ServiceNotFoundException)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			csrf := b.csrf(tt.from)
			before := e.revision(t)
			tt.fields["csrf"] = csrf
			resp, body := b.post(tt.path, tt.fields)
			if resp.StatusCode < 400 {
				t.Fatalf("status %d, want an error page", resp.StatusCode)
			}
			wantContains(t, body, tt.want, "Nothing was changed")
			if after := e.revision(t); after != before {
				t.Errorf("store revision moved from %d to %d: the form changed something", before, after)
			}
		})
	}
}

// TestFailedListenerLeavesNoLoadBalancer: the load balancer form creates two objects; when the
// listener fails, the load balancer it made first is removed again.
func TestFailedListenerLeavesNoLoadBalancer(t *testing.T) {
	t.Parallel()
	e := start(t)
	b := e.signedIn(t)
	seed(t, b)
	resp, body := b.act("/load-balancers", "/load-balancers", map[string]string{"name": "alb2", "port": "18080", "targetGroup": "tg-green"})
	wantStatus(t, resp, http.StatusBadRequest)
	wantContains(t, body, "(DuplicateListener)")
	lbs, _, err := e.Store.LoadBalancers.List(ctx(t), "")
	if err != nil || len(lbs) != 1 {
		t.Errorf("load balancers after a failed create: %d, %v", len(lbs), err)
	}
}

func TestUpdateDeployAndSteer(t *testing.T) {
	t.Parallel()
	e := start(t)
	b := e.signedIn(t)
	seed(t, b)
	c := ctx(t)
	resp, body := b.act("/clusters/demo/services/web", "/clusters/demo/services/web/update", map[string]string{"desiredCount": "3"})
	wantStatus(t, resp, http.StatusSeeOther)
	svcs, err := e.ECS.DescribeServices(c, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
	if err != nil || svcs.Services[0].DesiredCount != 3 {
		t.Fatalf("desired count after update: %v %v %s", err, svcs, body)
	}

	resp, _ = b.act("/clusters/demo/services/web", "/clusters/demo/services/web/deployments", map[string]string{"taskDefinition": "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1"})
	wantStatus(t, resp, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	id := loc[strings.LastIndex(loc, "/")+1:]
	d, err := e.CodeDeploy.GetDeployment(c, &codedeploysdk.GetDeploymentInput{DeploymentId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.DeploymentInfo.DeploymentGroupName) != "DgpECS-demo-web" || !strings.Contains(aws.ToString(d.DeploymentInfo.Revision.AppSpecContent.Content), "task-definition/web:1") {
		t.Errorf("deployment = %+v", d.DeploymentInfo)
	}
	resp, body = b.get(loc)
	wantStatus(t, resp, http.StatusOK)
	wantContains(t, body, id, "Stop and roll back", "Lifecycle events", `id="weight-chart"`)

	// Continue is refused outside the ready wait, with CodeDeploy's code, and changes nothing.
	before := e.revision(t)
	resp, body = b.act(loc, loc+"/continue", map[string]string{})
	if resp.StatusCode < 400 || e.revision(t) != before {
		t.Errorf("continue outside a wait: status %d, revision %d → %d", resp.StatusCode, before, e.revision(t))
	}
	wantContains(t, body, "Exception)")

	resp, _ = b.act(loc, loc+"/stop", map[string]string{})
	wantStatus(t, resp, http.StatusSeeOther)
	it, err := e.Store.Deployments.Get(c, id)
	if err != nil || !it.Value.StopRequested || !it.Value.StopWithRollback {
		t.Errorf("stop and roll back: %v %+v", err, it.Value)
	}
}

func TestStopTask(t *testing.T) {
	t.Parallel()
	e := start(t)
	b := e.signedIn(t)
	seed(t, b)
	c := ctx(t)
	arn, id := e.runTask(t, "web:1")
	page := "/clusters/demo/tasks/" + id
	resp, _ := b.act(page, page+"/stop", map[string]string{"reason": "enough"})
	wantStatus(t, resp, http.StatusSeeOther)
	got, err := e.ECS.DescribeTasks(c, &ecssdk.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: []string{arn}})
	if err != nil {
		t.Fatal(err)
	}
	if task := got.Tasks[0]; aws.ToString(task.DesiredStatus) != "STOPPED" || aws.ToString(task.StoppedReason) != "enough" {
		t.Errorf("task = %s %s", aws.ToString(task.DesiredStatus), aws.ToString(task.StoppedReason))
	}
}
