package authz

import (
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/iampolicy"
)

var scope = arn.Scope{Partition: "aws", Region: "ap-northeast-2", AccountID: "123456789012"}

func TestResourceTypeARN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ   ResourceType
		names []string
		want  string
	}{
		{Any, nil, "*"},
		{RequestARN, []string{"arn:aws:ecs:ap-northeast-2:123456789012:cluster/prod"}, "arn:aws:ecs:ap-northeast-2:123456789012:cluster/prod"},
		{ECSCluster, []string{"prod"}, "arn:aws:ecs:ap-northeast-2:123456789012:cluster/prod"},
		{ECSService, []string{"prod", "web"}, "arn:aws:ecs:ap-northeast-2:123456789012:service/prod/web"},
		{ECSTaskDefinition, []string{"web", "3"}, "arn:aws:ecs:ap-northeast-2:123456789012:task-definition/web:3"},
		{ELBListener, []string{"web", "50dc6c495c0c9188", "f2f7dc8efc522ab2"}, "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2"},
		{CodeDeployDeploymentGroup, []string{"web", "web-dg"}, "arn:aws:codedeploy:ap-northeast-2:123456789012:deploymentgroup:web/web-dg"},
		{CodeDeployApplication, []string{"web"}, "arn:aws:codedeploy:ap-northeast-2:123456789012:application:web"},
		{ECRRepository, []string{"team/web"}, "arn:aws:ecr:ap-northeast-2:123456789012:repository/team/web"},
		{CloudWatchAlarm, []string{"web-5xx"}, "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:web-5xx"},
		{LogStream, []string{"/ecs/web", "ecs/web/abc"}, "arn:aws:logs:ap-northeast-2:123456789012:log-group:/ecs/web:log-stream:ecs/web/abc"},
		{IAMUser, []string{"ci"}, "arn:aws:iam::123456789012:user/ci"},
		{IAMRole, []string{"service-role/deploy"}, "arn:aws:iam::123456789012:role/service-role/deploy"},
	}
	for _, tt := range tests {
		got, err := tt.typ.ARN(scope, tt.names...)
		if err != nil || got != tt.want {
			t.Errorf("%s.ARN(%q) = %q, %v; want %q", tt.typ.Name, tt.names, got, err, tt.want)
		}
	}
	for _, bad := range []struct {
		typ   ResourceType
		names []string
	}{{ECSService, []string{"prod"}}, {ECSService, []string{"prod", "web", "x"}}, {ECSCluster, []string{""}}, {RequestARN, []string{"web"}}} {
		if got, err := bad.typ.ARN(scope, bad.names...); !errors.Is(err, errdefs.ErrInvalidArgument) {
			t.Errorf("%s.ARN(%q) = %q, %v; want an invalid argument", bad.typ.Name, bad.names, got, err)
		}
	}
}

// deployPolicy is the least-privilege policy that the documentation of the official actions
// (aws-actions/amazon-ecs-deploy-task-definition and amazon-ecr-login) recommends, scoped to
// one cluster, service, CodeDeploy group and repository.
const deployPolicy = `{"Version":"2012-10-17","Statement":[
 {"Sid":"RegisterTaskDefinition","Effect":"Allow","Action":["ecs:RegisterTaskDefinition","ecs:DescribeTaskDefinition"],"Resource":"*"},
 {"Sid":"PassRolesInTaskDefinition","Effect":"Allow","Action":["iam:PassRole"],"Resource":["arn:aws:iam::123456789012:role/web-task","arn:aws:iam::123456789012:role/ecsTaskExecutionRole"]},
 {"Sid":"DeployService","Effect":"Allow","Action":["ecs:UpdateService","ecs:DescribeServices"],"Resource":["arn:aws:ecs:ap-northeast-2:123456789012:service/prod/web"]},
 {"Sid":"CodeDeployDeployment","Effect":"Allow","Action":["codedeploy:GetDeploymentGroup","codedeploy:CreateDeployment","codedeploy:GetDeployment","codedeploy:GetDeploymentConfig","codedeploy:RegisterApplicationRevision"],
  "Resource":["arn:aws:codedeploy:ap-northeast-2:123456789012:deploymentgroup:web/web-dg","arn:aws:codedeploy:ap-northeast-2:123456789012:deploymentconfig:*","arn:aws:codedeploy:ap-northeast-2:123456789012:application:web"]},
 {"Sid":"GetAuthorizationToken","Effect":"Allow","Action":["ecr:GetAuthorizationToken"],"Resource":"*"},
 {"Sid":"PushImage","Effect":"Allow","Action":["ecr:BatchGetImage","ecr:BatchCheckLayerAvailability","ecr:CompleteLayerUpload","ecr:GetDownloadUrlForLayer","ecr:InitiateLayerUpload","ecr:PutImage","ecr:UploadLayerPart"],
  "Resource":"arn:aws:ecr:ap-northeast-2:123456789012:repository/web"}]}`

const ciARN = "arn:aws:iam::123456789012:user/ci"

func ciCall(service, op string, resources ...string) *Call {
	c := &Call{
		Service: service, Operation: op,
		Principal: Principal{ARN: ciARN, Account: "123456789012", Username: "ci", UserID: "AIDACI"},
		Region:    "ap-northeast-2", SecureTransport: true, Time: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC),
	}
	for _, r := range resources {
		c.Resources = append(c.Resources, Resource{ARN: r})
	}
	return c
}

func mustParse(t *testing.T, docs ...string) []iampolicy.Policy {
	t.Helper()
	var out []iampolicy.Policy
	for _, d := range docs {
		p, err := iampolicy.Parse([]byte(d))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func TestCheckDeployPolicy(t *testing.T) {
	t.Parallel()
	policies := mustParse(t, deployPolicy)
	const (
		web   = "arn:aws:ecs:ap-northeast-2:123456789012:service/prod/web"
		api   = "arn:aws:ecs:ap-northeast-2:123456789012:service/prod/api"
		group = "arn:aws:codedeploy:ap-northeast-2:123456789012:deploymentgroup:web/web-dg"
		repo  = "arn:aws:ecr:ap-northeast-2:123456789012:repository/web"
		other = "arn:aws:ecr:ap-northeast-2:123456789012:repository/billing"
	)
	withRoles := func(c *Call, roles ...string) *Call { c.PassRoles = roles; return c }
	tests := []struct {
		name string
		call *Call
		want string // "" allowed, else the AccessDenied message
	}{
		{"register with its roles", withRoles(ciCall("ecs", "RegisterTaskDefinition", "arn:aws:ecs:ap-northeast-2:123456789012:task-definition/web:4"), "arn:aws:iam::123456789012:role/web-task", "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"), ""},
		{"register passing another role", withRoles(ciCall("ecs", "RegisterTaskDefinition"), "arn:aws:iam::123456789012:role/admin"),
			"User: " + ciARN + " is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/admin because no identity-based policy allows the iam:PassRole action"},
		{"update its service", ciCall("ecs", "UpdateService", web), ""},
		{"update another service", ciCall("ecs", "UpdateService", api),
			"User: " + ciARN + " is not authorized to perform: ecs:UpdateService on resource: " + api + " because no identity-based policy allows the ecs:UpdateService action"},
		{"describe both services", ciCall("ecs", "DescribeServices", web, api),
			"User: " + ciARN + " is not authorized to perform: ecs:DescribeServices on resource: " + api + " because no identity-based policy allows the ecs:DescribeServices action"},
		{"delete a cluster", ciCall("ecs", "DeleteCluster", "arn:aws:ecs:ap-northeast-2:123456789012:cluster/prod"),
			"User: " + ciARN + " is not authorized to perform: ecs:DeleteCluster on resource: arn:aws:ecs:ap-northeast-2:123456789012:cluster/prod because no identity-based policy allows the ecs:DeleteCluster action"},
		{"create a deployment", ciCall("codedeploy", "CreateDeployment", group), ""},
		{"ECR login", ciCall("ecr", "GetAuthorizationToken"), ""},
		{"push to its repository", ciCall("ecr", "PutImage", repo), ""},
		{"read another repository", ciCall("ecr", "BatchGetImage", other),
			"User: " + ciARN + " is not authorized to perform: ecr:BatchGetImage on resource: " + other + " because no identity-based policy allows the ecr:BatchGetImage action"},
		{"create users", ciCall("iam", "CreateUser", "arn:aws:iam::123456789012:user/mallory"),
			"User: " + ciARN + " is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/mallory because no identity-based policy allows the iam:CreateUser action"},
		{"list clusters on *", ciCall("ecs", "ListClusters"),
			"User: " + ciARN + " is not authorized to perform: ecs:ListClusters on resource: * because no identity-based policy allows the ecs:ListClusters action"},
		{"who am I", ciCall("sts", "GetCallerIdentity"), ""},
		{"an operation without a rule", ciCall("ecs", "PutAccountSetting"),
			"User: " + ciARN + " is not authorized to perform: ecs:PutAccountSetting on resource: * because no identity-based policy allows the ecs:PutAccountSetting action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := Check(tt.call, policies)
			if tt.want == "" {
				if err != nil || !d.Allowed {
					t.Fatalf("Check = %+v, %v; want allowed", d, err)
				}
				return
			}
			if d.Allowed || !errors.Is(err, ErrAccessDenied) || !errors.Is(err, errdefs.ErrPermissionDenied) {
				t.Fatalf("Check = %+v, %v; want AccessDenied", d, err)
			}
			if got := errdefs.Message(err); got != tt.want {
				t.Errorf("message =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestCheckExplicitDenyAndRoot(t *testing.T) {
	t.Parallel()
	policies := mustParse(t, `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"ecs:Delete*","Resource":"*"}]}`)
	call := ciCall("ecs", "DeleteService", "arn:aws:ecs:ap-northeast-2:123456789012:service/prod/web")
	d, err := Check(call, policies)
	want := "User: " + ciARN + " is not authorized to perform: ecs:DeleteService on resource: arn:aws:ecs:ap-northeast-2:123456789012:service/prod/web with an explicit deny in an identity-based policy"
	if errdefs.Message(err) != want {
		t.Errorf("message = %q, want %q", errdefs.Message(err), want)
	}
	if len(d.Evaluations) != 1 || d.Evaluations[0].Result != (iampolicy.Result{Decision: iampolicy.ExplicitDeny, Policy: 0, Statement: 1}) {
		t.Errorf("evaluations = %+v, want the deny statement named", d.Evaluations)
	}
	call.Principal = Principal{ARN: "arn:aws:iam::123456789012:root", Account: "123456789012", Root: true}
	if d, err := Check(call, nil); err != nil || !d.Allowed {
		t.Errorf("root: %+v, %v", d, err)
	}
}

func TestCheckPassedToService(t *testing.T) {
	t.Parallel()
	policies := mustParse(t, `{"Statement":[{"Effect":"Allow","Action":["ecs:RegisterTaskDefinition","ecs:CreateService"],"Resource":"*"},
		{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}]}`)
	register := ciCall("ecs", "RegisterTaskDefinition")
	register.PassRoles = []string{"arn:aws:iam::123456789012:role/web-task"}
	if _, err := Check(register, policies); err != nil {
		t.Errorf("register: %v", err)
	}
	create := ciCall("ecs", "CreateService", "arn:aws:ecs:ap-northeast-2:123456789012:service/prod/web")
	create.PassRoles = []string{"arn:aws:iam::123456789012:role/ecsServiceRole"}
	if _, err := Check(create, policies); !errors.Is(err, ErrAccessDenied) || !strings.Contains(errdefs.Message(err), "iam:PassRole") {
		t.Errorf("create service passing a role to ecs.amazonaws.com: %v", err)
	}
}

func TestRegistryRules(t *testing.T) {
	t.Parallel()
	push := map[string]RegistryRoute{
		http.MethodHead + " blob": RegistryBlob, http.MethodPost + " upload": RegistryUpload, http.MethodPatch + " upload": RegistryUpload,
		http.MethodPut + " upload": RegistryUpload, http.MethodPut + " manifest": RegistryManifest,
	}
	want := map[string]string{
		"HEAD blob": "ecr:BatchCheckLayerAvailability", "POST upload": "ecr:InitiateLayerUpload", "PATCH upload": "ecr:UploadLayerPart",
		"PUT upload": "ecr:CompleteLayerUpload", "PUT manifest": "ecr:PutImage",
	}
	for name, route := range push {
		method, _, _ := strings.Cut(name, " ")
		r, ok := RegistryRuleFor(method, route)
		if !ok || r.Action != want[name] || r.Resource != ECRRepository {
			t.Errorf("%s: %+v, %v; want %s on the repository", name, r, ok, want[name])
		}
	}
	for _, pull := range []struct {
		method string
		route  RegistryRoute
		want   string
	}{{http.MethodGet, RegistryManifest, "ecr:BatchGetImage"}, {http.MethodGet, RegistryBlob, "ecr:GetDownloadUrlForLayer"}} {
		if r, ok := RegistryRuleFor(pull.method, pull.route); !ok || r.Action != pull.want {
			t.Errorf("%s %s: %+v, %v", pull.method, pull.route, r, ok)
		}
	}
	if _, ok := RegistryRuleFor(http.MethodOptions, RegistryManifest); ok {
		t.Error("OPTIONS of a manifest has a rule")
	}
}

// TestRulesAreWellFormed checks every row: the action is the operation's own (fargo names its
// services by their IAM prefix), and the resource type is of the action's service.
func TestRulesAreWellFormed(t *testing.T) {
	t.Parallel()
	for key, r := range rules {
		service, op, _ := strings.Cut(key, ":")
		if r.Action != key {
			t.Errorf("%s: action %s is not the operation's name", key, r.Action)
		}
		if r.Resource != Any && r.Resource != RequestARN && r.Resource.Service != service {
			t.Errorf("%s: resource type %s is of service %s", key, r.Resource.Name, r.Resource.Service)
		}
		if op == "" {
			t.Errorf("%s: no operation", key)
		}
	}
}

// docRow is the row of the authorization table in docs/iam.md for one operation.
func docRow(key string, r Rule) string {
	resource := "`*`"
	switch {
	case r.Public:
		resource = "none (public)"
	case r.Resource == RequestARN:
		resource = "the ARN in the request"
	case r.Resource.Global:
		resource = "`arn:aws:" + r.Resource.Service + "::<account>:" + r.Resource.Format + "`"
	case r.Resource != Any:
		resource = "`arn:aws:" + r.Resource.Service + ":<region>:<account>:" + r.Resource.Format + "`"
	}
	row := "| `" + key + "` | " + resource + " |"
	if r.PassRoleTo != "" {
		row += " `iam:PassRole` to `" + r.PassRoleTo + "` |"
	} else {
		row += " |"
	}
	return row
}

// TestDocsListEveryRow keeps docs/iam.md's copy of the table in step with the code.
func TestDocsListEveryRow(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/iam.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range Operations() {
		if row := docRow(key, rules[key]); !strings.Contains(string(doc), row+"\n") {
			t.Errorf("docs/iam.md lacks the row\n%s", row)
		}
	}
}

// TestCheckContext checks that the call's context reaches the conditions: the resource's
// tags, the request's tags, the region, the caller's tags and the service's own keys.
func TestCheckContext(t *testing.T) {
	t.Parallel()
	policies := mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"ecs:UpdateService","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}","aws:RequestedRegion":"ap-northeast-2"}}},
		{"Effect":"Allow","Action":"ecs:TagResource","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}},
		{"Effect":"Allow","Action":"ecs:RunTask","Resource":"*","Condition":{"ArnEquals":{"ecs:cluster":"arn:aws:ecs:ap-northeast-2:123456789012:cluster/staging"}}}]}`)
	const svc = "arn:aws:ecs:ap-northeast-2:123456789012:service/prod/web"
	tests := []struct {
		name    string
		call    func() *Call
		allowed bool
	}{
		{"tags agree", func() *Call {
			c := ciCall("ecs", "UpdateService")
			c.Principal.Tags = map[string]string{"team": "web"}
			c.Resources = []Resource{{ARN: svc, Tags: map[string]string{"team": "web"}}}
			return c
		}, true},
		{"tags differ", func() *Call {
			c := ciCall("ecs", "UpdateService")
			c.Principal.Tags = map[string]string{"team": "web"}
			c.Resources = []Resource{{ARN: svc, Tags: map[string]string{"team": "billing"}}}
			return c
		}, false},
		{"another region", func() *Call {
			c := ciCall("ecs", "UpdateService")
			c.Region = "eu-west-1"
			c.Principal.Tags = map[string]string{"team": "web"}
			c.Resources = []Resource{{ARN: svc, Tags: map[string]string{"team": "web"}}}
			return c
		}, false},
		{"allowed tag keys", func() *Call {
			c := ciCall("ecs", "TagResource", svc)
			c.RequestTags = map[string]string{"team": "web"}
			return c
		}, true},
		{"another tag key", func() *Call {
			c := ciCall("ecs", "TagResource", svc)
			c.RequestTags = map[string]string{"owner": "x"}
			return c
		}, false},
		{"run in the allowed cluster", func() *Call {
			c := ciCall("ecs", "RunTask", "arn:aws:ecs:ap-northeast-2:123456789012:task-definition/web:3")
			c.Keys = map[string][]string{"ecs:cluster": {"arn:aws:ecs:ap-northeast-2:123456789012:cluster/staging"}}
			return c
		}, true},
		{"run in another cluster", func() *Call {
			c := ciCall("ecs", "RunTask", "arn:aws:ecs:ap-northeast-2:123456789012:task-definition/web:3")
			c.Keys = map[string][]string{"ecs:cluster": {"arn:aws:ecs:ap-northeast-2:123456789012:cluster/prod"}}
			return c
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := Check(tt.call(), policies)
			if d.Allowed != tt.allowed || (err == nil) != tt.allowed {
				t.Errorf("Check = %+v, %v; want allowed %v", d, err, tt.allowed)
			}
		})
	}
}
