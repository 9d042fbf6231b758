package awsproto

import (
	"net/url"
	"slices"
	"testing"
)

func TestInputReadsBothProtocols(t *testing.T) {
	t.Parallel()
	js := Request{Body: []byte(`{"cluster":"demo","services":["a","b"],"overrides":{"taskRoleArn":"r"},"rules":[{"arn":"x"},{"arn":"y"}],"n":3}`)}.Input()
	form := Request{Form: url.Values{
		"Cluster": {"demo"}, "Services.member.1": {"a"}, "Services.member.2": {"b"}, "Overrides.TaskRoleArn": {"r"},
		"Rules.member.1.Arn": {"x"}, "Rules.member.2.Arn": {"y"},
	}}.Input()
	for name, in := range map[string]struct {
		in                                  Input
		cluster, services, overrides, rules string
	}{"json": {js, "cluster", "services", "overrides", "rules"}, "query": {form, "Cluster", "Services", "Overrides", "Rules"}} {
		if got := in.in.String(in.cluster); got != "demo" {
			t.Errorf("%s: String = %q", name, got)
		}
		if got := in.in.Strings(in.services); !slices.Equal(got, []string{"a", "b"}) {
			t.Errorf("%s: Strings = %q", name, got)
		}
		role := "taskRoleArn"
		arnName := "arn"
		if name == "query" {
			role, arnName = "TaskRoleArn", "Arn"
		}
		if got := in.in.Object(in.overrides).String(role); got != "r" {
			t.Errorf("%s: Object.String = %q", name, got)
		}
		var arns []string
		for _, o := range in.in.Objects(in.rules) {
			arns = append(arns, o.String(arnName))
		}
		if !slices.Equal(arns, []string{"x", "y"}) {
			t.Errorf("%s: Objects = %q", name, arns)
		}
	}
	if js.String("n") != "" || js.String("missing") != "" || len(js.Strings("cluster")) != 0 {
		t.Error("members of another type or absent must read as empty")
	}
	if (Request{Body: []byte(`not json`)}).Input().String("cluster") != "" {
		t.Error("a body that is no object reads as empty")
	}
}

func TestTargetAdd(t *testing.T) {
	t.Parallel()
	var tg Target
	tg.Add("demo", "web")
	tg.Add("demo", "arn:aws:ecs:us-east-1:0:service/demo/web")
	tg.Add("demo", "")
	tg.Pass("", "arn:aws:iam::0:role/r")
	if len(tg.Resources) != 2 || !slices.Equal(tg.Resources[0], []string{"demo", "web"}) || !slices.Equal(tg.Resources[1], []string{"arn:aws:ecs:us-east-1:0:service/demo/web"}) {
		t.Errorf("Resources = %q", tg.Resources)
	}
	if !slices.Equal(tg.PassRoles, []string{"arn:aws:iam::0:role/r"}) {
		t.Errorf("PassRoles = %q", tg.PassRoles)
	}
}

func TestInputReadsMembersAsTheOperationDecodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		want       string
		wantDup    string
	}{
		{name: "plain", body: `{"cluster":"demo","service":"web"}`, want: "web"},
		{name: "another case", body: `{"Service":"web"}`, want: "web"},
		{name: "escaped name", body: `{"\u0073ervice":"web"}`, want: "web"},
		{name: "escaped value", body: `{"service":"w\u0065b\"x"}`, want: `web"x`},
		{name: "spaces and nesting", body: " {\n \"x\" : {\"service\":\"inner\",\"a\":[1,{\"b\":\"]\"}]} ,\t\"service\" : \"web\" } ", want: "web"},
		{name: "null is absent", body: `{"service":null}`, want: ""},
		{name: "another type", body: `{"service":5}`, want: ""},
		{name: "duplicate", body: `{"service":"web","service":"api"}`, want: "api", wantDup: "service"},
		{name: "duplicate in another case", body: `{"service":"web","SERVICE":"api"}`, want: "api", wantDup: "service"},
		{name: "duplicate null", body: `{"service":"web","service":null}`, want: "", wantDup: "service"},
		{name: "malformed", body: `{"service":"web"`, want: "web"},
		{name: "not an object", body: `["service","web"]`, want: ""},
		{name: "empty", body: ``, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := Request{Body: []byte(tt.body)}.Input()
			if got := in.String("service"); got != tt.want {
				t.Errorf("String = %q, want %q", got, tt.want)
			}
			if got := in.Duplicate(); got != tt.wantDup {
				t.Errorf("Duplicate = %q, want %q", got, tt.wantDup)
			}
		})
	}
	nested := Request{Body: []byte(`{"overrides":{"taskRoleArn":"a","taskRoleArn":"b"}}`)}.Input()
	if nested.Object("overrides").String("taskRoleArn"); nested.Duplicate() != "taskRoleArn" {
		t.Errorf("a duplicate in a nested object: Duplicate = %q", nested.Duplicate())
	}
}

// FuzzInputMatchesDecode: whenever the operation's decoding accepts a body and the scanner saw
// no duplicate, the scanner reads the names the operation acts on.
func FuzzInputMatchesDecode(f *testing.F) {
	for _, seed := range []string{`{"cluster":"demo","services":["a","b"],"overrides":{"taskRoleArn":"r"}}`, `{"Cluster":"x","cluster":null}`,
		`{"cluster":"a\"b","services":[]}`, `{"CLUSTER":"\u00e9","overrides":null}`, `{"ſervices":["k"]}`, `{"cluster":"d","x":[{"y":"}"}]}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var decoded struct {
			Cluster   *string  `json:"cluster"`
			Services  []string `json:"services"`
			Overrides *struct {
				TaskRoleArn *string `json:"taskRoleArn"`
			} `json:"overrides"`
		}
		if DecodeJSON(body, &decoded) != nil {
			return
		}
		in := Request{Body: body}.Input()
		cluster, services, role := in.String("cluster"), in.Strings("services"), in.Object("overrides").String("taskRoleArn")
		if in.Duplicate() != "" {
			return
		}
		wantRole := ""
		if decoded.Overrides != nil {
			wantRole = Deref(decoded.Overrides.TaskRoleArn)
		}
		if cluster != Deref(decoded.Cluster) || !slices.Equal(services, decoded.Services) && len(services)+len(decoded.Services) > 0 || role != wantRole {
			t.Fatalf("scanner read cluster %q services %q role %q; decoding gives %q %q %q", cluster, services, role, Deref(decoded.Cluster), decoded.Services, wantRole)
		}
	})
}
