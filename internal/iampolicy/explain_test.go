package iampolicy

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

func TestExplain(t *testing.T) {
	t.Parallel()
	const deploy = `{"Version":"2012-10-17","Statement":[
	{"Sid":"Web","Effect":"Allow","Action":"ecs:UpdateService","Resource":"` + svcWeb + `"},
	{"Sid":"Any","Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringEquals":{"ecs:cluster":"arn:aws:ecs:us-east-1:` + acct + `:cluster/prod"}}},
	{"Sid":"Tagged","Effect":"Allow","Action":"ecs:UpdateService","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"web"}}},
	{"Sid":"NoApi","Effect":"Deny","Action":"ecs:UpdateService","Resource":"` + svcAPI + `"}]}`
	const denyAll = `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"` + svcAPI + `"}}`
	tests := []struct {
		name        string
		policies    []string
		resource    string
		keys        map[string][]string
		want        Decision
		wantMatched []StatementRef
		wantMissing []string
	}{
		{name: "every allow that matches", policies: []string{deploy}, resource: svcWeb,
			keys: map[string][]string{"ecs:cluster": {"arn:aws:ecs:us-east-1:" + acct + ":cluster/prod"}},
			want: Allow, wantMatched: []StatementRef{{0, 0}, {0, 1}}, wantMissing: []string{"aws:ResourceTag/team"}},
		{name: "missing keys of statements that match but for them", policies: []string{deploy}, resource: svcWeb,
			want: Allow, wantMatched: []StatementRef{{0, 0}}, wantMissing: []string{"ecs:cluster", "aws:ResourceTag/team"}},
		{name: "denies only, across policies", policies: []string{deploy, denyAll}, resource: svcAPI,
			keys: map[string][]string{"ecs:cluster": {"arn:aws:ecs:us-east-1:" + acct + ":cluster/prod"}},
			want: ExplicitDeny, wantMatched: []StatementRef{{0, 3}, {1, 0}}, wantMissing: []string{"aws:ResourceTag/team"}},
		{name: "implicit deny names nothing", policies: []string{deploy}, resource: "arn:aws:ecs:us-east-1:" + acct + ":service/dev/web",
			want: ImplicitDeny, wantMissing: []string{"ecs:cluster", "aws:ResourceTag/team"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := baseRequest("ecs:UpdateService", tt.resource)
			r.Keys = tt.keys
			policies := mustParse(t, tt.policies...)
			e := Explain(&r, policies...)
			if e.Result != Evaluate(&r, policies...) {
				t.Errorf("Explain's result %+v, Evaluate's %+v", e.Result, Evaluate(&r, policies...))
			}
			if e.Result.Decision != tt.want || !slices.Equal(e.Matched, tt.wantMatched) || !slices.Equal(e.MissingKeys, tt.wantMissing) {
				t.Errorf("Explain = %v %v missing %v, want %v %v missing %v", e.Result.Decision, e.Matched, e.MissingKeys, tt.want, tt.wantMatched, tt.wantMissing)
			}
		})
	}
}

// TestPropertyExplainAgreesWithEvaluate: the simulator says what enforcement does.
func TestPropertyExplainAgreesWithEvaluate(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		policies := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Policy { return genPolicy(t, "statements") }), 0, 3).Draw(t, "policies")
		r := genRequest(t)
		e, want := Explain(&r, policies...), Evaluate(&r, policies...)
		if e.Result != want {
			t.Fatalf("Explain = %+v, Evaluate = %+v", e.Result, want)
		}
		for _, m := range e.Matched {
			if got := Evaluate(&r, Policy{Statements: []Statement{policies[m.Policy].Statements[m.Statement]}}).Decision; got != want.Decision {
				t.Fatalf("matched statement %v alone decides %v, the policies %v", m, got, want.Decision)
			}
		}
	})
}

func TestSetKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, key string
		values    []string
		condition string
		wantErr   bool
	}{
		{name: "source address", key: "aws:SourceIp", values: []string{"192.0.2.9"}, condition: `{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}`},
		{name: "bad address", key: "aws:sourceip", values: []string{"nowhere"}, wantErr: true},
		{name: "time", key: "aws:CurrentTime", values: []string{"2027-01-01T00:00:00Z"}, condition: `{"DateGreaterThan":{"aws:CurrentTime":"2026-12-31T00:00:00Z"}}`},
		{name: "bad time", key: "aws:CurrentTime", values: []string{"soon"}, wantErr: true},
		{name: "secure", key: "aws:SecureTransport", values: []string{"true"}, condition: `{"Bool":{"aws:SecureTransport":"true"}}`},
		{name: "bad bool", key: "aws:SecureTransport", values: []string{"maybe"}, wantErr: true},
		{name: "resource tag", key: "aws:ResourceTag/team", values: []string{"web"}, condition: `{"StringEquals":{"aws:ResourceTag/team":"web"}}`},
		{name: "tag keys", key: "aws:TagKeys", values: []string{"team", "env"}, condition: `{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]},"Null":{"aws:TagKeys":"false"}}`},
		{name: "region", key: "aws:RequestedRegion", values: []string{"eu-west-1"}, condition: `{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}`},
		{name: "service key", key: "ecs:cluster", values: []string{"arn:aws:ecs:us-east-1:1:cluster/a"}, condition: `{"ArnLike":{"ecs:cluster":"arn:aws:ecs:*:*:cluster/a"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := Request{Action: "ecs:UpdateService", Resource: "*"}
			err := r.SetKey(tt.key, tt.values)
			if (err != nil) != tt.wantErr {
				t.Fatalf("SetKey = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":` + tt.condition + `}}`
			if got := Evaluate(&r, mustParse(t, doc)...).Decision; got != Allow {
				t.Errorf("with %s = %v the condition %s decides %v", tt.key, tt.values, tt.condition, got)
			}
			if got := Evaluate(&Request{Action: "ecs:UpdateService", Resource: "*"}, mustParse(t, doc)...).Decision; got == Allow {
				t.Errorf("without %s the condition %s holds: the test proves nothing", tt.key, tt.condition)
			}
		})
	}
}

func TestConditionKeys(t *testing.T) {
	t.Parallel()
	policies := mustParse(t,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringEquals":{"ecs:cluster":"a","aws:username":"b"}}}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ecs:*","Resource":"*","Condition":{"StringLike":{"ECS:Cluster":"a"},"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}`)
	want := []string{"aws:SourceIp", "aws:username", "ecs:cluster"}
	if got := ConditionKeys(policies...); !slices.Equal(got, want) {
		t.Errorf("ConditionKeys = %v, want %v", got, want)
	}
}

func TestUsesResourceTags(t *testing.T) {
	t.Parallel()
	for doc, want := range map[string]bool{
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringEquals":{"aws:resourcetag/team":"web"}}}}`: true,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"web"}}}}`:  false,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*"}}`:                                                             false,
	} {
		if got := mustParse(t, doc)[0].UsesResourceTags(); got != want {
			t.Errorf("UsesResourceTags(%s) = %v, want %v", doc, got, want)
		}
	}
}
