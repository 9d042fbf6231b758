package awsproto

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
)

// Target is what a request names for its authorization: the resources its operation acts on
// and the IAM roles it passes. Each resource is the names of one resource of the type the
// authorization table gives the operation, one for each placeholder of the type's ARN format
// in order (cluster and service for an ECS service), or a single ARN when the request names
// the resource by its ARN. An empty Target checks the operation's action on "*".
type Target struct {
	Resources [][]string
	PassRoles []string
	// Deployments are CodeDeploy deployment ids of a request that names its deployment group
	// by a deployment only: the authorizer adds the group the deployment belongs to.
	Deployments []string
	// Keys are the service's condition keys the request sets (ecs:cluster). A key whose
	// values are ARNs of a resource type (authz.KeyResourceType) holds the resources' names,
	// as Resources do, and the authorizer makes ARNs of them.
	Keys map[string][]string
}

// Key sets the condition key name to values, leaving out empty ones.
func (t *Target) Key(name string, values ...string) {
	for _, v := range values {
		if v == "" {
			continue
		}
		if t.Keys == nil {
			t.Keys = map[string][]string{}
		}
		t.Keys[name] = append(t.Keys[name], v)
	}
}

// Add adds one resource named by names; an ARN among them (a request naming the resource by
// its ARN) stands alone. A resource with an empty name is left out: the request names none.
func (t *Target) Add(names ...string) {
	for _, n := range names {
		if strings.HasPrefix(n, "arn:") {
			t.Resources = append(t.Resources, []string{n})
			return
		}
		if n == "" {
			return
		}
	}
	t.Resources = append(t.Resources, names)
}

// Pass adds the roles the request passes, leaving out empty ones.
func (t *Target) Pass(roles ...string) {
	for _, r := range roles {
		if r != "" {
			t.PassRoles = append(t.PassRoles, r)
		}
	}
}

// Deploy adds the CodeDeploy deployments the request names, leaving out empty ids.
func (t *Target) Deploy(ids ...string) {
	for _, id := range ids {
		if id != "" {
			t.Deployments = append(t.Deployments, id)
		}
	}
}

// Targeter returns what a request of operation op names; a service without one, or an
// operation it does not know, names nothing.
type Targeter func(op string, in Input) Target

// Input reads the members of a request that name its resources, the same way for both
// protocols: the top-level (or nested, with Object) members of a JSON body, or the Query
// parameters. Members that are absent, null or of another type read as empty. A JSON body is
// scanned, not decoded (jsonscan.go): reading a few names costs a fraction of a decode.
type Input struct {
	// obj is a JSON object: the body, or a member of it.
	obj []byte
	// dup is shared by an Input and those it returns: the first member name read that the
	// object has more than once.
	dup  *string
	form url.Values
	// prefix is the Query parameter prefix of a nested structure ("Parent.").
	prefix string
}

// Input returns the reader of req's members. A JSON body that is no object reads as empty:
// the operation's own decoding reports it.
func (r Request) Input() Input {
	if r.Form != nil {
		return Input{form: r.Form}
	}
	return Input{obj: r.Body, dup: new(string)}
}

// Duplicate returns the name of a member read that occurs more than once in its object
// (names compared as encoding/json compares them), "" when none. The operation's decoding
// would take the last one, so a request with one cannot be authorized by the first.
func (in Input) Duplicate() string {
	if in.dup == nil {
		return ""
	}
	return *in.dup
}

// member returns the raw value of the JSON member name, nil when absent or null.
func (in Input) member(name string) []byte {
	var value []byte
	n := 0
	forEachMember(in.obj, func(raw, v []byte) bool {
		if nameIs(raw, name) {
			n++
			value = v
		}
		return true
	})
	if n > 1 && in.dup != nil && *in.dup == "" {
		*in.dup = name
	}
	if bytes.Equal(value, []byte("null")) {
		return nil
	}
	return value
}

// String returns the string member name.
func (in Input) String(name string) string {
	if in.form != nil {
		return in.form.Get(in.prefix + name)
	}
	s, _ := unquote(in.member(name))
	return s
}

// Strings returns the list of strings name: a JSON array, or the Query list name.member.N. A
// JSON array with anything but strings reads as empty.
func (in Input) Strings(name string) []string {
	if in.form != nil {
		var out []string
		for i := 1; ; i++ {
			v, ok := in.form[in.prefix+name+".member."+strconv.Itoa(i)]
			if !ok || len(v) == 0 {
				return out
			}
			out = append(out, v[0])
		}
	}
	var out []string
	ok := true
	forEachElement(in.member(name), func(v []byte) {
		s, isString := unquote(v)
		ok = ok && isString
		out = append(out, s)
	})
	if !ok {
		return nil
	}
	return out
}

// Object returns the reader of the structure member name.
func (in Input) Object(name string) Input {
	if in.form != nil {
		return Input{form: in.form, prefix: in.prefix + name + "."}
	}
	return Input{obj: in.member(name), dup: in.dup}
}

// Objects returns the readers of the list of structures name.
func (in Input) Objects(name string) []Input {
	if in.form != nil {
		var out []Input
		for i := 1; ; i++ {
			p := in.prefix + name + ".member." + strconv.Itoa(i) + "."
			found := false
			for k := range in.form {
				if strings.HasPrefix(k, p) {
					found = true
					break
				}
			}
			if !found {
				return out
			}
			out = append(out, Input{form: in.form, prefix: p})
		}
	}
	var out []Input
	forEachElement(in.member(name), func(v []byte) {
		if len(v) > 0 && v[0] == '{' {
			out = append(out, Input{obj: v, dup: in.dup})
		}
	})
	return out
}
