package codedeploy

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Revision types; fargo takes the AppSpec inline.
const (
	RevisionAppSpecContent = "AppSpecContent"
	RevisionString         = "String"
)

// ecsServiceType is the one resource type of an ECS AppSpec.
const ecsServiceType = "AWS::ECS::Service"

// hookEvents are the lifecycle events that take hooks.
var hookEvents = []string{"BeforeInstall", "AfterInstall", "AfterAllowTestTraffic", "BeforeAllowTraffic", "AfterAllowTraffic"}

// CheckRevision checks that r holds an AppSpec inline whose sha256, when given, matches, and
// returns the AppSpec.
func CheckRevision(r Revision) (AppSpec, error) {
	if err := checkRevisionType(r.Type); err != nil {
		return AppSpec{}, err
	}
	if strings.TrimSpace(r.Content) == "" {
		return AppSpec{}, errdefs.Detail(ErrInvalidRevision, "The revision has no AppSpec content.")
	}
	if _, err := RevisionKey(r); err != nil {
		return AppSpec{}, err
	}
	return ParseAppSpec(r.Content)
}

// ParseAppSpec reads an ECS AppSpec given as YAML or JSON. Keys are matched without regard to
// case, as aws-actions/amazon-ecs-deploy-task-definition matches them, and version may be the
// number 0 that YAML makes of 0.0.
func ParseAppSpec(content string) (AppSpec, error) {
	var doc any
	if err := yaml.Unmarshal([]byte(content), &doc); err != nil {
		first, _, _ := strings.Cut(err.Error(), "\n")
		return AppSpec{}, errdefs.Detail(ErrInvalidRevision, "The AppSpec is neither YAML nor JSON: %s", first)
	}
	root, ok := asMap(doc)
	if !ok {
		return AppSpec{}, errdefs.Detail(ErrInvalidRevision, "The AppSpec must be a mapping with version, Resources and optional Hooks.")
	}
	if !isVersionZero(lookup(root, "version")) {
		return AppSpec{}, errdefs.Detail(ErrInvalidRevision, "The AppSpec version must be 0.0.")
	}
	spec, err := parseResources(lookup(root, "Resources"))
	if err != nil {
		return AppSpec{}, err
	}
	if spec.Hooks, err = parseHooks(lookup(root, "Hooks")); err != nil {
		return AppSpec{}, err
	}
	return spec, nil
}

func isVersionZero(v any) bool {
	switch v := v.(type) {
	case uint64:
		return v == 0
	case int64:
		return v == 0
	case float64:
		return v == 0
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return err == nil && f == 0
	}
	return false
}

// parseResources reads the one AWS::ECS::Service resource of Resources.
func parseResources(v any) (AppSpec, error) {
	list, ok := v.([]any)
	if !ok || len(list) != 1 {
		return AppSpec{}, errdefs.Detail(ErrInvalidRevision, "The AppSpec Resources must be a list of exactly one AWS::ECS::Service resource.")
	}
	name, body, ok := singleEntry(list[0])
	if !ok {
		return AppSpec{}, errdefs.Detail(ErrInvalidRevision, "Each AppSpec resource must be a mapping of one name to its Type and Properties.")
	}
	res, _ := asMap(body)
	if typ, _ := lookup(res, "Type").(string); typ != ecsServiceType {
		return AppSpec{}, errdefs.Detail(ErrInvalidRevision, "The AppSpec resource %s must have Type %s.", name, ecsServiceType)
	}
	props, _ := asMap(lookup(res, "Properties"))
	return parseProperties(name, props)
}

func parseProperties(name string, props map[string]any) (AppSpec, error) {
	spec := AppSpec{PlatformVersion: str(lookup(props, "PlatformVersion"))}
	if spec.TaskDefinition = str(lookup(props, "TaskDefinition")); spec.TaskDefinition == "" {
		return AppSpec{}, errdefs.Detail(ErrInvalidRevision, "The AppSpec resource %s has no Properties.TaskDefinition.", name)
	}
	lbi, _ := asMap(lookup(props, "LoadBalancerInfo"))
	spec.ContainerName = str(lookup(lbi, "ContainerName"))
	port, ok := integer(lookup(lbi, "ContainerPort"))
	if spec.ContainerName == "" || !ok || port < 1 || port > 65535 {
		return AppSpec{}, errdefs.Detail(ErrInvalidRevision, "The AppSpec resource %s needs Properties.LoadBalancerInfo with ContainerName and a ContainerPort from 1 to 65535.", name)
	}
	spec.ContainerPort = port
	network, err := parseNetwork(lookup(props, "NetworkConfiguration"))
	if err != nil {
		return AppSpec{}, err
	}
	spec.Network = network
	return spec, nil
}

func parseNetwork(v any) (*AwsvpcConfiguration, error) {
	nc, _ := asMap(v)
	vpc, ok := asMap(lookup(nc, "AwsvpcConfiguration"))
	if !ok {
		return nil, nil
	}
	cfg := &AwsvpcConfiguration{AssignPublicIP: str(lookup(vpc, "AssignPublicIp"))}
	var err error
	if cfg.Subnets, err = stringList(lookup(vpc, "Subnets"), "Subnets"); err != nil {
		return nil, err
	}
	if cfg.SecurityGroups, err = stringList(lookup(vpc, "SecurityGroups"), "SecurityGroups"); err != nil {
		return nil, err
	}
	if p := cfg.AssignPublicIP; p != "" && p != "ENABLED" && p != "DISABLED" {
		return nil, errdefs.Detail(ErrInvalidRevision, "The AppSpec AssignPublicIp %q is invalid: use ENABLED or DISABLED.", p)
	}
	return cfg, nil
}

// parseHooks reads Hooks: a list of one-entry mappings from a lifecycle event to a function.
func parseHooks(v any) (map[string]string, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, errdefs.Detail(ErrInvalidRevision, "The AppSpec Hooks must be a list of mappings from a lifecycle event to a function.")
	}
	hooks := map[string]string{}
	for _, item := range list {
		event, fn, ok := singleEntry(item)
		canonical := canonicalHook(event)
		if !ok || canonical == "" || str(fn) == "" {
			return nil, errdefs.Detail(ErrInvalidRevision, "The AppSpec hook %q is invalid: hooks map one of %s to a function name or ARN.", event, strings.Join(hookEvents, ", "))
		}
		hooks[canonical] = str(fn)
	}
	return hooks, nil
}

func canonicalHook(event string) string {
	for _, e := range hookEvents {
		if strings.EqualFold(e, event) {
			return e
		}
	}
	return ""
}

// asMap returns v as a mapping with string keys.
func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case map[any]any:
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[fmt.Sprint(k)] = v
		}
		return out, true
	}
	return nil, false
}

// lookup returns the value of key in m, matched without regard to case.
func lookup(m map[string]any, key string) any {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

// singleEntry returns the one key and value of a one-entry mapping.
func singleEntry(v any) (string, any, bool) {
	m, ok := asMap(v)
	if !ok || len(m) != 1 {
		return "", nil, false
	}
	for k, v := range m {
		return k, v, true
	}
	return "", nil, false
}

// str returns v if it is a string, else "".
func str(v any) string {
	s, _ := v.(string)
	return s
}

// integer returns v as an int: a whole number, or a string of one.
func integer(v any) (int, bool) {
	switch v := v.(type) {
	case uint64:
		return int(min(v, math.MaxInt32)), true
	case int64:
		return int(max(min(v, math.MaxInt32), math.MinInt32)), true
	case float64:
		return int(v), v == math.Trunc(v) && math.Abs(v) < math.MaxInt32
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(v))
		return n, err == nil
	}
	return 0, false
}

// stringList returns v as a list of strings; absent is an empty list.
func stringList(v any, what string) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, errdefs.Detail(ErrInvalidRevision, "The AppSpec %s must be a list of strings.", what)
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		s, ok := item.(string)
		if !ok {
			return nil, errdefs.Detail(ErrInvalidRevision, "The AppSpec %s must be a list of strings.", what)
		}
		out = append(out, s)
	}
	return out, nil
}
