package hooks

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// TargetRef is what a hook target may name: a function, a task definition, or (for
// "name:3", which reads as either) both, in which case a registered function wins.
type TargetRef struct {
	// Function is the name of a function, without a version or alias.
	Function string
	// TaskDefinition is a task definition ARN or family:revision.
	TaskDefinition string
}

// ParseTarget reads an AppSpec hook value or an ECS hookTargetArn: a function name or Lambda
// function ARN (a :version or :alias suffix is ignored, since fargo keeps one version), or a
// task definition ARN or family:revision.
func ParseTarget(s string) (TargetRef, error) {
	if arn.IsARN(s) {
		return parseTargetARN(s)
	}
	name, qualifier, qualified := strings.Cut(s, ":")
	if !functionName.MatchString(name) || strings.Contains(qualifier, ":") {
		return TargetRef{}, errdefs.InvalidArgument("The hook target %q names neither a function nor a task definition.", s)
	}
	ref := TargetRef{Function: name}
	if n, err := strconv.Atoi(qualifier); qualified && err == nil && n > 0 {
		ref.TaskDefinition = s
	}
	return ref, nil
}

func parseTargetARN(s string) (TargetRef, error) {
	a, err := arn.Parse(s)
	if err != nil {
		return TargetRef{}, errdefs.InvalidArgument("The hook target %q is not a valid ARN.", s)
	}
	switch {
	case a.Service == "lambda" && a.ResourceType() == "function":
		name, _, _ := strings.Cut(strings.TrimPrefix(a.Resource, "function:"), ":")
		if functionName.MatchString(name) {
			return TargetRef{Function: name}, nil
		}
	case a.Service == "ecs" && a.ResourceType() == "task-definition":
		return TargetRef{TaskDefinition: s}, nil
	}
	return TargetRef{}, errdefs.InvalidArgument("The hook target %q names neither a Lambda function nor an ECS task definition.", s)
}

// CodeDeployHookID is the LifecycleEventHookExecutionId that a CodeDeploy hook's target gets
// for execution id: opaque to the target, and read back by ParseCodeDeployHookID when the
// target reports its verdict.
func CodeDeployHookID(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(id))
}

// ParseCodeDeployHookID returns the execution id of a LifecycleEventHookExecutionId, false if
// it is none.
func ParseCodeDeployHookID(hookID string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(hookID)
	if err != nil || strings.Count(string(b), "|") != 2 {
		return "", false
	}
	return string(b), true
}
