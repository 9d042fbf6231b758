package ecs

import (
	"strconv"
	"strings"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// TaskDefinitionARN returns the ARN of revision of family in scope, as ECS writes it:
// arn:aws:ecs:us-east-1:000000000000:task-definition/web:3.
func TaskDefinitionARN(scope arn.Scope, family string, revision int) string {
	return scope.New("ecs", "task-definition/"+family+":"+strconv.Itoa(revision)).String()
}

// TaskDefinitionRef is a task definition as ECS operations let clients name it.
type TaskDefinitionRef struct {
	Family string
	// Revision is 0 when the reference names only the family, which means the family's latest
	// ACTIVE revision.
	Revision int
}

// String returns the reference as family or family:revision.
func (r TaskDefinitionRef) String() string {
	if r.Revision == 0 {
		return r.Family
	}
	return r.Family + ":" + strconv.Itoa(r.Revision)
}

// ParseTaskDefinitionRef reads s in the forms DescribeTaskDefinition, DeregisterTaskDefinition,
// RunTask and CreateService accept: "family", "family:revision" or a task definition ARN (with
// or without the revision). It checks the form only; whether the task definition exists, and
// whether an ARN is in this server's account and region, is for the caller to decide.
func ParseTaskDefinitionRef(s string) (TaskDefinitionRef, error) {
	id := s
	if arn.IsARN(s) {
		a, err := arn.Parse(s)
		if err != nil || a.Service != "ecs" || a.ResourceType() != "task-definition" {
			return TaskDefinitionRef{}, errdefs.InvalidArgument("Invalid task definition ARN: %s", s)
		}
		id = a.ResourceID()
	}
	family, rev, hasRev := strings.Cut(id, ":")
	if family == "" {
		return TaskDefinitionRef{}, errdefs.InvalidArgument("Task definition can not be blank.")
	}
	if !hasRev {
		return TaskDefinitionRef{Family: family}, nil
	}
	n, err := strconv.Atoi(rev)
	if err != nil || n < 1 {
		return TaskDefinitionRef{}, errdefs.InvalidArgument("Invalid revision number. Number: %s", rev)
	}
	return TaskDefinitionRef{Family: family, Revision: n}, nil
}
