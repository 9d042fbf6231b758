package daemon

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/api"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/ecrapi"
	"github.com/fargohq/fargo/internal/api/elbapi"
	"github.com/fargohq/fargo/internal/api/iamapi"
	"github.com/fargohq/fargo/internal/authz"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/tagset"
)

// TestDeploymentIDsAreCheckedOnTheirGroup: the CodeDeploy operations that name a deployment by
// its id are checked on the deployment group it belongs to, as AWS checks them.
func TestDeploymentIDsAreCheckedOnTheirGroup(t *testing.T) {
	t.Parallel()
	const policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codedeploy:GetDeployment","codedeploy:BatchGetDeployments",
 "codedeploy:StopDeployment","codedeploy:ContinueDeployment","codedeploy:ListDeploymentTargets","codedeploy:GetDeploymentTarget","codedeploy:BatchGetDeploymentTargets"],
 "Resource":"arn:aws:codedeploy:us-east-1:000000000000:deploymentgroup:web/web-dg"}]}`
	az, st := newTestAuthorizer(t, policy)
	ctx := context.Background()
	for id, group := range map[string][2]string{"d-WEB": {"web", "web-dg"}, "d-API": {"api", "api-dg"}} {
		if _, err := st.Deployments.Create(ctx, id, codedeploy.Deployment{ID: id, ApplicationName: group[0], DeploymentGroupName: group[1]}); err != nil {
			t.Fatal(err)
		}
	}
	cd := newConsoleAPIs(nil, testScope, elbapi.Config{}, ecrapi.New(testScope, ecrapi.Config{}, ecrapi.Deps{}), nil, nil).services["codedeploy"]
	const apiGroup = "arn:aws:codedeploy:us-east-1:000000000000:deploymentgroup:api/api-dg"
	tests := []struct {
		op, body string
		deniedOn string // "" when allowed
	}{
		{"GetDeployment", `{"deploymentId":"d-WEB"}`, ""},
		{"GetDeployment", `{"deploymentId":"d-API"}`, apiGroup},
		{"StopDeployment", `{"deploymentId":"d-WEB"}`, ""},
		{"StopDeployment", `{"deploymentId":"d-API"}`, apiGroup},
		{"ContinueDeployment", `{"deploymentId":"d-API"}`, apiGroup},
		{"ListDeploymentTargets", `{"deploymentId":"d-WEB"}`, ""},
		{"GetDeploymentTarget", `{"deploymentId":"d-API","targetId":"x"}`, apiGroup},
		{"BatchGetDeploymentTargets", `{"deploymentId":"d-WEB","targetIds":["x"]}`, ""},
		{"BatchGetDeployments", `{"deploymentIds":["d-WEB"]}`, ""},
		{"BatchGetDeployments", `{"deploymentIds":["d-WEB","d-API"]}`, apiGroup},
		// An id of no deployment names no group: the action is checked on "*".
		{"GetDeployment", `{"deploymentId":"d-NONE"}`, "*"},
	}
	for _, tt := range tests {
		t.Run(tt.op+" "+tt.body, func(t *testing.T) {
			t.Parallel()
			a := api.Authorization{Caller: ciCaller, Service: "codedeploy", Operation: tt.op,
				Target: cd.Targets(tt.op, awsproto.Request{Body: []byte(tt.body)}.Input())}
			err := az.API(ctx, a)
			if tt.deniedOn == "" {
				if err != nil {
					t.Fatalf("denied: %v", err)
				}
				return
			}
			want := "is not authorized to perform: codedeploy:" + tt.op + " on resource: " + tt.deniedOn + " "
			if !errors.Is(err, authz.ErrAccessDenied) || !strings.Contains(err.Error(), want) {
				t.Fatalf("got %v, want a denial %q", err, want)
			}
		})
	}
}

// TestIAMPathsInARNs: a user or role named by its name alone is checked on its ARN with its
// path, which denial messages name, as AWS names it.
func TestIAMPathsInARNs(t *testing.T) {
	t.Parallel()
	const policy = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["iam:GetUser","iam:PutUserPolicy"],"Resource":"arn:aws:iam::000000000000:user/dev/*"},
 {"Effect":"Allow","Action":"iam:GetRole","Resource":"arn:aws:iam::000000000000:role/svc/*"}]}`
	az, st := newTestAuthorizer(t, policy)
	ctx := context.Background()
	if _, err := st.IAMUsers.Create(ctx, "deployer", iam.User{Name: "Deployer", Path: "/dev/", ID: "AIDADEP"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.IAMRoles.Create(ctx, "app", iam.Role{Name: "app", Path: "/svc/team/", ID: "AROAAPP"}); err != nil {
		t.Fatal(err)
	}
	iamSvc := iamapi.New(testScope.AccountID, iamapi.Deps{}).Service()
	tests := []struct {
		op, user, role string
		deniedOn       string
	}{
		{op: "GetUser", user: "Deployer"},
		{op: "PutUserPolicy", user: "deployer"},
		{op: "GetRole", role: "app"},
		{op: "DeleteUser", user: "deployer", deniedOn: "arn:aws:iam::000000000000:user/dev/Deployer"},
		{op: "GetUser", user: "ci", deniedOn: "arn:aws:iam::000000000000:user/ci"},
		{op: "DeleteRole", role: "app", deniedOn: "arn:aws:iam::000000000000:role/svc/team/app"},
	}
	for _, tt := range tests {
		t.Run(tt.op+" "+tt.user+tt.role, func(t *testing.T) {
			t.Parallel()
			form := url.Values{}
			if tt.user != "" {
				form.Set("UserName", tt.user)
			}
			if tt.role != "" {
				form.Set("RoleName", tt.role)
			}
			a := api.Authorization{Caller: ciCaller, Service: "iam", Operation: tt.op, Target: iamSvc.Targets(tt.op, awsproto.Request{Form: form}.Input())}
			err := az.API(ctx, a)
			if tt.deniedOn == "" {
				if err != nil {
					t.Fatalf("denied: %v", err)
				}
				return
			}
			want := "is not authorized to perform: iam:" + tt.op + " on resource: " + tt.deniedOn + " "
			if !errors.Is(err, authz.ErrAccessDenied) || !strings.Contains(err.Error(), want) {
				t.Fatalf("got %v, want a denial %q", err, want)
			}
		})
	}
}

// TestECSClusterConditionKey: ECS requests on a cluster's resources set ecs:cluster to the
// cluster's ARN, whether they name the cluster by name, by ARN, or not at all (default).
func TestECSClusterConditionKey(t *testing.T) {
	t.Parallel()
	const policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecs:UpdateService","ecs:RunTask","ecs:ListServices"],"Resource":"*",
 "Condition":{"ArnEquals":{"ecs:cluster":"arn:aws:ecs:us-east-1:000000000000:cluster/prod"}}}]}`
	az, _ := newTestAuthorizer(t, policy)
	ecs := newConsoleAPIs(nil, testScope, elbapi.Config{}, ecrapi.New(testScope, ecrapi.Config{}, ecrapi.Deps{}), nil, nil).services["ecs"]
	tests := []struct {
		op, body string
		allowed  bool
	}{
		{"UpdateService", `{"cluster":"prod","service":"web"}`, true},
		{"UpdateService", `{"cluster":"arn:aws:ecs:us-east-1:000000000000:cluster/prod","service":"web"}`, true},
		{"UpdateService", `{"cluster":"dev","service":"web"}`, false},
		{"RunTask", `{"cluster":"prod","taskDefinition":"web:1"}`, true},
		{"RunTask", `{"taskDefinition":"web:1"}`, false}, // the default cluster
		{"ListServices", `{"cluster":"prod"}`, true},
		{"ListServices", `{"cluster":"dev"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.op+" "+tt.body, func(t *testing.T) {
			t.Parallel()
			a := api.Authorization{Caller: ciCaller, Service: "ecs", Operation: tt.op, Target: ecs.Targets(tt.op, awsproto.Request{Body: []byte(tt.body)}.Input())}
			if err := az.API(context.Background(), a); (err == nil) != tt.allowed {
				t.Fatalf("allowed %v, want %v: %v", err == nil, tt.allowed, err)
			}
		})
	}
}

// TestResourceTagConditionKey: a policy that tests aws:ResourceTag/<key> sees the tags of the
// resource acted on, read from the store.
func TestResourceTagConditionKey(t *testing.T) {
	t.Parallel()
	const policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecs:UpdateService","ecr:PutImage"],"Resource":"*",
 "Condition":{"StringEquals":{"aws:ResourceTag/team":"web"}}}]}`
	az, st := newTestAuthorizer(t, policy)
	ctx := context.Background()
	for name, team := range map[string]string{"web": "web", "api": "api"} {
		if _, err := st.Services.Create(ctx, store.ServiceID("prod", name), ecs.Service{Name: name, ClusterName: "prod", Tags: []ecs.Tag{{Key: "team", Value: team}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Repositories.Create(ctx, name, ecr.Repository{Name: name, Tags: []ecr.Tag{{Key: "team", Value: team}}}); err != nil {
			t.Fatal(err)
		}
	}
	ecsSvc := newConsoleAPIs(nil, testScope, elbapi.Config{}, ecrapi.New(testScope, ecrapi.Config{}, ecrapi.Deps{}), nil, nil).services["ecs"]
	for service, allowed := range map[string]bool{"web": true, "api": false, "missing": false} {
		a := api.Authorization{Caller: ciCaller, Service: "ecs", Operation: "UpdateService",
			Target: ecsSvc.Targets("UpdateService", awsproto.Request{Body: []byte(`{"cluster":"prod","service":"` + service + `"}`)}.Input())}
		if err := az.API(ctx, a); (err == nil) != allowed {
			t.Errorf("UpdateService of %s: allowed %v, want %v (%v)", service, err == nil, allowed, err)
		}
	}
	for repo, allowed := range map[string]bool{"web": true, "api": false} {
		if err := az.Registry(ctx, "AKIACI", "PUT", "manifests", repo); (err == nil) != allowed {
			t.Errorf("push to %s: allowed %v, want %v (%v)", repo, err == nil, allowed, err)
		}
	}
}

func TestStoreResourceTags(t *testing.T) {
	t.Parallel()
	_, st := newTestAuthorizer(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)
	ctx := context.Background()
	team := []tagset.Tag{{Key: "team", Value: "web"}}
	if _, err := st.Clusters.Create(ctx, "prod", ecs.Cluster{Name: "prod", Tags: team}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.LoadBalancers.Create(ctx, "lb", elb.LoadBalancer{Name: "lb", ID: "0123456789abcdef", Tags: team}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.TargetGroups.Create(ctx, "tg", elb.TargetGroup{Name: "tg", ID: "0123456789abcdef", Tags: team}); err != nil {
		t.Fatal(err)
	}
	// The same name in another region is another cluster, with tags of its own.
	if _, err := st.In("ap-northeast-2").Clusters.Create(ctx, "prod", ecs.Cluster{Name: "prod", Tags: []tagset.Tag{{Key: "team", Value: "seoul"}}}); err != nil {
		t.Fatal(err)
	}
	tags := storeResourceTags(st, testScope.Region)
	for resource, want := range map[string]string{
		"arn:aws:ecs:us-east-1:000000000000:cluster/prod":                                          "web",
		"arn:aws:ecs:ap-northeast-2:000000000000:cluster/prod":                                     "seoul",
		"arn:aws:ecs:eu-west-1:000000000000:cluster/prod":                                          "",
		"arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/lb/0123456789abcdef": "web",
		"arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/0123456789abcdef":      "web",
		"arn:aws:ecs:us-east-1:000000000000:cluster/other":                                         "",
		"arn:aws:logs:us-east-1:000000000000:log-group:x":                                          "",
		"*": "",
	} {
		if got := tags(ctx, resource)["team"]; got != want {
			t.Errorf("tags of %s: team %q, want %q", resource, got, want)
		}
	}
}
