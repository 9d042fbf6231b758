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
