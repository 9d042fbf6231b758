package clusterquery

import (
	"strings"
	"testing"
)

// instance is a Target with attributes and fields as a container instance would answer them.
type instance struct {
	attrs  map[string]string
	fields map[Field][]string
}

func (in instance) Values(s Subject) []string {
	if s.Field == Attribute {
		if v, ok := in.attrs[s.Name]; ok {
			return []string{v}
		}
		return nil
	}
	return in.fields[s.Field]
}

var web = instance{
	attrs: map[string]string{
		"ecs.availability-zone": "us-east-1a", "ecs.instance-type": "t2.small", "ecs.os-type": "linux",
		"ecs.capability.fargate": "", "stack": "prod", "cores": "8",
	},
	fields: map[Field][]string{
		AgentConnected: {"true"}, AgentVersion: {"1.10.2"}, EC2InstanceID: {"node-1"},
		RegisteredAt: {"2024-03-01T10:00:00Z"}, RunningTasksCount: {"3"},
		TaskGroup: {"service:web", "family:batch"},
	},
}

func TestMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr string
		want bool
	}{
		{"attribute:ecs.instance-type == t2.small", true},
		{"attribute:ecs.instance-type equals t2.small", true},
		{"attribute:ecs.instance-type == t2.large", false},
		{"attribute:ecs.instance-type != t2.large", true},
		{"attribute:ecs.instance-type not_equals t2.small", false},
		{"attribute:missing != x", true},
		{"attribute:missing == x", false},
		{"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", true},
		{"attribute:ecs.availability-zone in [us-east-1b]", false},
		{"attribute:ecs.availability-zone not_in [us-east-1b, us-east-1c]", true},
		{"attribute:ecs.availability-zone !in [us-east-1a]", false},
		{"attribute:ecs.instance-type =~ t2.*", true},
		{"attribute:ecs.instance-type matches g2.*", false},
		{"attribute:ecs.instance-type !~ g2.*", true},
		{"attribute:ecs.instance-type not_matches t2\\..*", false},
		{"attribute:ecs.instance-type =~ t2", false}, // a pattern matches the whole value
		{"attribute:stack exists", true},
		{"attribute:ecs.capability.fargate exists", true}, // an attribute without a value
		{"attribute:other exists", false},
		{"attribute:other !exists", true},
		{"attribute:stack not_exists", false},
		{"!attribute:other exists", true},
		{"attribute:cores > 4", true},
		{"attribute:cores >= 8", true},
		{"attribute:cores < 10", true}, // numbers, not text
		{"attribute:cores <= 7", false},
		{"attribute:stack greater_than pre", true},
		{"attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone != us-east-1d", true},
		{"attribute:ecs.instance-type =~ t2.* && attribute:ecs.availability-zone == us-east-1d", false},
		{"attribute:stack == dev or attribute:stack == prod", true},
		{"attribute:stack == dev || attribute:stack == qa", false},
		{"not(task:group == database)", true},
		{"!(task:group == service:web)", false},
		{"NOT (attribute:stack == dev) AND attribute:cores > 2", true},
		{"task:group == service:web", true},
		{"task:group != service:web", false},
		{"task:group in [service:api, family:batch]", true},
		{"task:group =~ service:.*", true},
		{"ec2InstanceId in ['node-1', 'node-2']", true},
		{"ec2InstanceId == \"node-2\"", false},
		{"agentConnected == true", true},
		{"agentConnected == FALSE", false},
		{"agentVersion >= 1.9", true}, // versions by part: 10 > 9
		{"agentVersion < 1.10.3", true},
		{"registeredAt < 2025-01-01", true},
		{"registeredAt >= 2024-03-01T10:00:00+00:00", true},
		{"registeredAt > 2024-03-01T10:00:01", false},
		{"runningTasksCount == 3", true},
		{"runningTasksCount < 1", false},
		{"attribute:stack == prod and (attribute:cores == 2 or attribute:cores == 8)", true},
		{"attribute:stack == prod and attribute:cores == 2 or attribute:cores == 8", true}, // and binds tighter
		{"attribute:stack == dev and attribute:cores == 2 or attribute:cores == 8", true},
		{"attribute:stack == dev and (attribute:cores == 2 or attribute:cores == 8)", false},
		{"attribute:stack == 'prod'", true},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			q, err := Parse(tt.expr)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := q.Match(web); got != tt.want {
				t.Fatalf("Match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr, want string
	}{
		{"", "empty"},
		{"   ", "empty"},
		{"attribute:stack", "expected an operator after attribute:stack"},
		{"attribute:stack ==", "expected a value"},
		{"attribute:stack === prod", "expected an operator"},
		{"attribute: == x", "not a valid attribute name"},
		{"attribute:a b == x", "expected an operator"},
		{"color == red", `unknown subject "color"`},
		{"attribute:zone in us-east-1a", "expected a list"},
		{"attribute:zone in [a b]", "expected , or ]"},
		{"attribute:zone in [a,", "expected a value"},
		{"attribute:zone in []", "expected a value"},
		{"(attribute:a == b", "missing )"},
		{"attribute:a == b)", `unexpected ")"`},
		{"attribute:a == b attribute:c == d", `unexpected "attribute:c"`},
		{"attribute:a == b and", "ends where a condition was expected"},
		{"attribute:a == 'b", "unterminated quote"},
		{"'attribute:a' == b", "quoted value"},
		{"attribute:a =~ (", "expected a value"},
		{"attribute:a =~ '('", "not a valid pattern"},
		{"runningTasksCount exists", "does not take the operator exists"},
		{"task:group > service:a", "does not take the operator >"},
		{"agentVersion in [1.0]", "does not take the operator in"},
		{"runningTasksCount > many", "whole number"},
		{"registeredAt < yesterday", "takes a date"},
		{"agentConnected == maybe", "true or false"},
		{strings.Repeat("(", 100) + "attribute:a == b" + strings.Repeat(")", 100), "nests deeper"},
		{strings.Repeat("not ", 100) + "attribute:a == b", "nests deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.expr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse(%q) = %v, want an error containing %q", tt.expr, err, tt.want)
			}
		})
	}
}

func TestSubjects(t *testing.T) {
	t.Parallel()
	q, err := Parse("task:group == a or (attribute:x exists and not task:group == b) and runningTasksCount > 1")
	if err != nil {
		t.Fatal(err)
	}
	got := q.Subjects()
	want := []Subject{{Field: TaskGroup}, {Field: Attribute, Name: "x"}, {Field: RunningTasksCount}}
	if len(got) != len(want) {
		t.Fatalf("Subjects = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Subjects = %v, want %v", got, want)
		}
	}
	if (Query{}).Match(web) != true {
		t.Fatal("the zero Query must match everything")
	}
}

// FuzzParse checks that no expression panics the parser or a match, and that an expression
// that parses keeps its text.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
		"not(task:group == database) and attribute:ecs.instance-type =~ t2.*",
		"!attribute:a exists || (runningTasksCount < 2 && agentConnected == true)",
		"registeredAt >= 2018-06-18T22:28:28Z",
		"ec2InstanceId in ['i-1', \"i-2\"]",
		"((((", "attribute:a == ']'", "!", "!!x == y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		q, err := Parse(expr)
		if err != nil {
			return
		}
		if q.String() != expr {
			t.Fatalf("String = %q, want %q", q.String(), expr)
		}
		q.Match(web)
		q.Match(instance{})
		q.Subjects()
	})
}
