package iampolicy

import (
	"net/netip"
	"testing"
	"time"
)

const (
	acct    = "123456789012"
	userARN = "arn:aws:iam::" + acct + ":user/carlossalazar"
	svcWeb  = "arn:aws:ecs:us-east-1:" + acct + ":service/prod/web"
	svcAPI  = "arn:aws:ecs:us-east-1:" + acct + ":service/prod/api"
)

// baseRequest is a request of the IAM user carlossalazar; cases change what they test.
func baseRequest(action, resource string) Request {
	return Request{
		Action: action, Resource: resource,
		PrincipalARN: userARN, PrincipalAccount: acct, Username: "carlossalazar", UserID: "AIDAEXAMPLE",
		Region: "us-east-1", SecureTransport: true,
		CurrentTime: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC),
		SourceIP:    netip.MustParseAddr("203.0.113.7"),
	}
}

// fataler is what mustParse needs of a *testing.T, *testing.B or *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

func mustParse(t fataler, docs ...string) []Policy {
	t.Helper()
	out := make([]Policy, len(docs))
	for i, d := range docs {
		p, err := Parse([]byte(d))
		if err != nil {
			t.Fatalf("Parse(%s): %v", d, err)
		}
		out[i] = p
	}
	return out
}

// The AllowGetList/DenyReports policy of AWS's "difference between explicit and implicit
// denies".
const getListDenyReports = `{"Version":"2012-10-17","Statement":[
	{"Sid":"AllowGetList","Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"},
	{"Sid":"DenyReports","Effect":"Deny","Action":"iam:*Report","Resource":"*"}]}`

func TestEvaluate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		policies []string
		req      func(r *Request)
		action   string
		resource string
		want     Decision
	}{
		{"get allowed", []string{getListDenyReports}, nil, "iam:GetUser", "*", Allow},
		{"create implicitly denied", []string{getListDenyReports}, nil, "iam:CreatePolicy", "*", ImplicitDeny},
		{"report explicitly denied though Get* allows it", []string{getListDenyReports}, nil, "iam:GetOrganizationsAccessReport", "*", ExplicitDeny},
		{"deny in another policy wins", []string{getListDenyReports, `{"Statement":{"Effect":"Allow","Action":"iam:GenerateCredentialReport","Resource":"*"}}`}, nil, "iam:GenerateCredentialReport", "*", ExplicitDeny},
		{"no policies deny", nil, nil, "ecs:ListClusters", "*", ImplicitDeny},
		{"action is case-insensitive", []string{`{"Statement":{"Effect":"Allow","Action":"ECS:updateservice","Resource":"*"}}`}, nil, "ecs:UpdateService", svcWeb, Allow},
		{"resource is case-sensitive", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"arn:aws:ecs:us-east-1:123456789012:service/prod/WEB"}}`}, nil, "ecs:UpdateService", svcWeb, ImplicitDeny},
		{"? matches one character", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"arn:aws:ecs:us-east-1:123456789012:service/prod/w?b"}}`}, nil, "ecs:UpdateService", svcWeb, Allow},
		{"resource pattern scopes one service", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:UpdateService","Resource":"arn:aws:ecs:*:123456789012:service/prod/web"}}`}, nil, "ecs:UpdateService", svcAPI, ImplicitDeny},
		{"NotAction allows everything else", []string{`{"Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}`}, nil, "ecs:DeleteCluster", "*", Allow},
		{"NotAction leaves its actions denied", []string{`{"Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}`}, nil, "iam:CreateUser", "*", ImplicitDeny},
		{"NotResource denies everything but its resource", []string{`{"Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"},{"Effect":"Deny","Action":"ecs:*","NotResource":"arn:aws:ecs:*:*:service/prod/web"}]}`}, nil, "ecs:UpdateService", svcAPI, ExplicitDeny},
		{"NotResource leaves its resource alone", []string{`{"Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"},{"Effect":"Deny","Action":"ecs:*","NotResource":"arn:aws:ecs:*:*:service/prod/web"}]}`}, nil, "ecs:UpdateService", svcWeb, Allow},
		{"resource * of a policy does not cover ARN-less actions only", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:RegisterTaskDefinition","Resource":"arn:aws:ecs:*:*:task-definition/*"}}`}, nil, "ecs:RegisterTaskDefinition", "*", ImplicitDeny},

		// Policy variables (AWS's home-folder example).
		{"own folder by ${aws:username}", []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"}}`}, nil, "s3:GetObject", "arn:aws:s3:::bucket/home/carlossalazar/a.txt", Allow},
		{"another's folder", []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"}}`}, nil, "s3:GetObject", "arn:aws:s3:::bucket/home/mary/a.txt", ImplicitDeny},
		{"variable without a value matches nothing", []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"}}`}, func(r *Request) { r.Username = "" }, "s3:GetObject", "arn:aws:s3:::bucket/home//a.txt", ImplicitDeny},
		{"variable default", []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'shared'}/*"}}`}, nil, "s3:GetObject", "arn:aws:s3:::bucket/shared/a", Allow},
		{"2008 policies take ${...} literally", []string{`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"}}`}, nil, "s3:GetObject", "arn:aws:s3:::bucket/home/carlossalazar/a.txt", ImplicitDeny},
		{"${*} is a literal star", []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${*}"}}`}, nil, "s3:GetObject", "arn:aws:s3:::bucket/x", ImplicitDeny},

		// Conditions.
		{"region allowed", []string{regionDeny}, nil, "ecs:UpdateService", svcWeb, Allow},
		{"region denied", []string{regionDeny}, func(r *Request) { r.Region = "ap-northeast-2" }, "ecs:UpdateService", svcWeb, ExplicitDeny},
		{"resource tag owner is the user", []string{ownerTag}, func(r *Request) { r.ResourceTags = map[string]string{"Owner": "carlossalazar"} }, "ecs:UpdateService", svcWeb, Allow},
		{"resource tag owner is another", []string{ownerTag}, func(r *Request) { r.ResourceTags = map[string]string{"Owner": "mary"} }, "ecs:UpdateService", svcWeb, ImplicitDeny},
		{"resource tag key is case-insensitive", []string{ownerTag}, func(r *Request) { r.ResourceTags = map[string]string{"owner": "carlossalazar"} }, "ecs:UpdateService", svcWeb, Allow},
		{"resource tag absent", []string{ownerTag}, nil, "ecs:UpdateService", svcWeb, ImplicitDeny},
		{"principal tag matches", []string{principalTag}, func(r *Request) { r.PrincipalTags = map[string]string{"team": "web-platform"} }, "ecs:UpdateService", svcWeb, Allow},
		{"principal tag differs", []string{principalTag}, func(r *Request) { r.PrincipalTags = map[string]string{"team": "data"} }, "ecs:UpdateService", svcWeb, ImplicitDeny},
		{"ForAllValues: subset of allowed tag keys", []string{tagKeysAll}, func(r *Request) { r.RequestTags = map[string]string{"environment": "prod"} }, "ecs:TagResource", svcWeb, Allow},
		{"ForAllValues: a key outside the set", []string{tagKeysAll}, func(r *Request) { r.RequestTags = map[string]string{"environment": "prod", "owner": "x"} }, "ecs:TagResource", svcWeb, ImplicitDeny},
		{"ForAllValues: no tags at all", []string{tagKeysAll}, nil, "ecs:TagResource", svcWeb, Allow},
		{"ForAnyValue: one key in the set", []string{tagKeysAny}, func(r *Request) { r.RequestTags = map[string]string{"x": "1", "cost-center": "2"} }, "ecs:TagResource", svcWeb, Allow},
		{"ForAnyValue: no tags", []string{tagKeysAny}, nil, "ecs:TagResource", svcWeb, ImplicitDeny},
		{"NotIpAddress denies outside the network", []string{ipDeny}, nil, "ecs:UpdateService", svcWeb, ExplicitDeny},
		{"NotIpAddress lets the network in", []string{ipDeny}, func(r *Request) { r.SourceIP = netip.MustParseAddr("192.0.2.9") }, "ecs:UpdateService", svcWeb, Allow},
		{"time window open", []string{timeWindow}, nil, "ecs:UpdateService", svcWeb, Allow},
		{"time window closed", []string{timeWindow}, func(r *Request) { r.CurrentTime = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) }, "ecs:UpdateService", svcWeb, ImplicitDeny},
		{"Bool false on plain HTTP denies", []string{tlsOnly}, func(r *Request) { r.SecureTransport = false }, "ecs:UpdateService", svcWeb, ExplicitDeny},
		{"Bool true over TLS", []string{tlsOnly}, nil, "ecs:UpdateService", svcWeb, Allow},
		{"PassRole to ECS tasks", []string{passRole}, func(r *Request) { r.Keys = map[string][]string{"iam:PassedToService": {"ecs-tasks.amazonaws.com"}} }, "iam:PassRole", "arn:aws:iam::123456789012:role/app", Allow},
		{"PassRole to another service", []string{passRole}, func(r *Request) { r.Keys = map[string][]string{"iam:PassedToService": {"ec2.amazonaws.com"}} }, "iam:PassRole", "arn:aws:iam::123456789012:role/app", ImplicitDeny},
		{"service key looked up case-insensitively", []string{passRole}, func(r *Request) { r.Keys = map[string][]string{"iam:passedtoservice": {"ecs-tasks.amazonaws.com"}} }, "iam:PassRole", "arn:aws:iam::123456789012:role/app", Allow},
		{"StringNotEquals holds when the key is absent", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringNotEquals":{"ecs:cluster":"prod"}}}}`}, nil, "ecs:ListServices", "*", Allow},
		{"StringEquals fails when the key is absent", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringEquals":{"ecs:cluster":"prod"}}}}`}, nil, "ecs:ListServices", "*", ImplicitDeny},
		{"IfExists holds when the key is absent", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringEqualsIfExists":{"ecs:cluster":"prod"}}}}`}, nil, "ecs:ListServices", "*", Allow},
		{"IfExists checks a present key", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringEqualsIfExists":{"ecs:cluster":"prod"}}}}`}, func(r *Request) { r.Keys = map[string][]string{"ecs:cluster": {"dev"}} }, "ecs:ListServices", "*", ImplicitDeny},
		{"Null true: tag absent", []string{`{"Statement":{"Effect":"Deny","Action":"ecs:*","Resource":"*","Condition":{"Null":{"aws:ResourceTag/env":"true"}}}}`, allowAll}, nil, "ecs:UpdateService", svcWeb, ExplicitDeny},
		{"Null true: tag present", []string{`{"Statement":{"Effect":"Deny","Action":"ecs:*","Resource":"*","Condition":{"Null":{"aws:ResourceTag/env":"true"}}}}`, allowAll}, func(r *Request) { r.ResourceTags = map[string]string{"env": ""} }, "ecs:UpdateService", svcWeb, Allow},
		{"ArnLike on the principal", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/carlos*"}}}}`}, nil, "ecs:ListServices", "*", Allow},
		{"ArnNotLike on the principal", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/carlos*"}}}}`}, nil, "ecs:ListServices", "*", ImplicitDeny},
		{"ArnLike matches part by part", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:*:iam::123456789012:user/*"}}}}`}, func(r *Request) { r.PrincipalARN = "arn:aws:foo:iam::123456789012:user/x" }, "ecs:ListServices", "*", ImplicitDeny},
		{"ArnLike with a variable holding a colon", []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}"}}}}`}, nil, "ecs:ListServices", "*", Allow},
		{"ArnLike with a value of fewer parts", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"*"}}}}`}, nil, "ecs:ListServices", "*", Allow},
		{"StringEqualsIgnoreCase", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringEqualsIgnoreCase":{"aws:username":"CarlosSalazar"}}}}`}, nil, "ecs:ListServices", "*", Allow},
		{"StringLike is case-sensitive", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringLike":{"aws:username":"Carlos*"}}}}`}, nil, "ecs:ListServices", "*", ImplicitDeny},
		{"StringEquals takes * literally", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringEquals":{"aws:username":"carlos*"}}}}`}, nil, "ecs:ListServices", "*", ImplicitDeny},
		{"condition value with a variable", []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:user/${aws:username}"}}}}`}, nil, "ecs:ListServices", "*", Allow},
		{"numeric comparison", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"NumericLessThanEquals":{"ecs:desired-count":10}}}}`}, func(r *Request) { r.Keys = map[string][]string{"ecs:desired-count": {"10"}} }, "ecs:UpdateService", svcWeb, Allow},
		{"numeric comparison fails", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"NumericLessThan":{"ecs:desired-count":10}}}}`}, func(r *Request) { r.Keys = map[string][]string{"ecs:desired-count": {"10"}} }, "ecs:UpdateService", svcWeb, ImplicitDeny},
		{"epoch time", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"NumericGreaterThan":{"aws:EpochTime":1700000000}}}}`}, nil, "ecs:UpdateService", svcWeb, Allow},
		{"all conditions must hold", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1","aws:username":"mary"}}}}`}, nil, "ecs:UpdateService", svcWeb, ImplicitDeny},
		{"a key's values are alternatives", []string{`{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringEquals":{"aws:username":["mary","carlossalazar"]}}}}`}, nil, "ecs:UpdateService", svcWeb, Allow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := baseRequest(tt.action, tt.resource)
			if tt.req != nil {
				tt.req(&r)
			}
			got := Evaluate(&r, mustParse(t, tt.policies...)...)
			if got.Decision != tt.want {
				t.Errorf("decision = %v, want %v", got.Decision, tt.want)
			}
			if (got.Decision == ImplicitDeny) != (got.Policy == -1 && got.Statement == -1) {
				t.Errorf("result %+v: a statement is named exactly when one decided", got)
			}
		})
	}
}

const (
	allowAll   = `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`
	regionDeny = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"},
		{"Sid":"DenyAllOutsideRequestedRegions","Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*",
		 "Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}]}`
	ownerTag = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:UpdateService","Resource":"*",
		"Condition":{"StringEquals":{"aws:ResourceTag/Owner":"${aws:username}"}}}}`
	principalTag = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*",
		"Condition":{"StringLike":{"aws:PrincipalTag/team":"web-*"}}}}`
	tagKeysAll = `{"Statement":{"Effect":"Allow","Action":"ecs:TagResource","Resource":"*",
		"Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}}}`
	tagKeysAny = `{"Statement":{"Effect":"Allow","Action":"ecs:TagResource","Resource":"*",
		"Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}}}`
	ipDeny = `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
		{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]}}}]}`
	timeWindow = `{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*",
		"Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2026-12-31T23:59:59Z"}}}}`
	tlsOnly = `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
		{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
	passRole = `{"Statement":{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/*",
		"Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}}`
)

func TestEvaluateNamesTheDecidingStatement(t *testing.T) {
	t.Parallel()
	policies := mustParse(t, allowAll, getListDenyReports)
	r := baseRequest("iam:GetCredentialReport", "*")
	if got, want := Evaluate(&r, policies...), (Result{ExplicitDeny, 1, 1}); got != want {
		t.Errorf("deny: %+v, want %+v", got, want)
	}
	r.Action = "iam:GetUser"
	if got, want := Evaluate(&r, policies...), (Result{Allow, 0, 0}); got != want {
		t.Errorf("allow: %+v, want %+v", got, want)
	}
}

func TestEvaluateTrustPolicy(t *testing.T) {
	t.Parallel()
	p, err := ParseTrust([]byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"},
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		principal, account string
		want               Decision
	}{
		{"ecs-tasks.amazonaws.com", "", Allow},
		{"ec2.amazonaws.com", "", ImplicitDeny},
		{userARN, acct, Allow},
		{"arn:aws:iam::999999999999:user/x", "999999999999", ImplicitDeny},
	}
	for _, tt := range tests {
		r := Request{Action: "sts:AssumeRole", Resource: "arn:aws:iam::123456789012:role/app", PrincipalARN: tt.principal, PrincipalAccount: tt.account}
		if got := Evaluate(&r, p).Decision; got != tt.want {
			t.Errorf("%s: %v, want %v", tt.principal, got, tt.want)
		}
	}
}
