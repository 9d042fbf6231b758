package console_test

import (
	"net/http"
	"testing"
)

func TestEveryPageRenders(t *testing.T) {
	t.Parallel()
	e := start(t)
	b := e.signedIn(t)
	seed(t, b)
	// A second revision, for the diff, and a task, for its page.
	resp, _ := b.act("/task-definitions", "/task-definitions/json", map[string]string{"document": `{"family":"web","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"app","image":"web:2","portMappings":[{"containerPort":8080}]}]}`})
	wantStatus(t, resp, http.StatusSeeOther)
	_, taskID := e.runTask(t, "web:2")
	tests := []struct {
		path  string
		wants []string
	}{
		{"/", []string{"demo", "Create cluster"}},
		{"/clusters/demo", []string{"web", "Create service", "Blue/green", "CodeDeployDefault.ECSCanary10Percent5Minutes"}},
		{"/clusters/demo/services/web", []string{"Blue/green (CodeDeploy)", "tg-blue", "PRIMARY", "Start deployment", "Update service"}},
		{"/clusters/demo/tasks/" + taskID, []string{"web:2", "app", "Stop task"}},
		{"/task-definitions", []string{"web:1", "web:2", "Register"}},
		{"/task-definitions/web/1", []string{`&#34;image&#34;: &#34;web:1&#34;`, "Compare revision"}},
		{"/task-definitions/web/diff?a=1&b=2", []string{`<span class="del">`, `<span class="add">`, "web:2"}},
		{"/load-balancers", []string{"alb", "tg-blue (1)", "18080"}},
		{"/target-groups", []string{"tg-blue", "tg-green", "/health"}},
		{"/repositories", []string{"web", "No images yet"}},
		{"/codedeploy", []string{"AppECS-demo-web", "DgpECS-demo-web", "CodeDeployDefault.ECSAllAtOnce"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := b.get(tt.path)
			wantStatus(t, resp, http.StatusOK)
			wantContains(t, body, tt.wants...)
			wantContains(t, body, `<main id="main"`, `lang="en"`)
		})
	}
}

func TestMissingThingsAreNotFound(t *testing.T) {
	t.Parallel()
	e := start(t)
	b := e.signedIn(t)
	tests := []struct{ path, want string }{
		{"/clusters/nope", "ClusterNotFoundException"},
		{"/clusters/nope/services/web", "ServiceNotFoundException"},
		{"/task-definitions/web/7", "Unable to describe task definition web:7"},
		{"/codedeploy/deployments/d-AAAAAAAAA", "DeploymentDoesNotExistException"},
		{"/codedeploy/deployments/nonsense", "InvalidDeploymentIdException"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := b.get(tt.path)
			if resp.StatusCode < 400 {
				t.Errorf("status %d", resp.StatusCode)
			}
			wantContains(t, body, tt.want)
		})
	}
}
