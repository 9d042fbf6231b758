package ecsapi

import (
	"strconv"
	"strings"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// resourceName resolves ref, a short name or an ECS ARN of resource type typ in this server's
// region and account, to the name.
func (a *API) resourceName(ref, typ string) (string, error) {
	if !arn.IsARN(ref) {
		return ref, nil
	}
	parsed, err := arn.Parse(ref)
	if err != nil {
		return "", err
	}
	if parsed.Service != "ecs" || parsed.ResourceType() != typ || parsed.Region != a.scope.Region || parsed.AccountID != a.scope.AccountID {
		return "", errdefs.InvalidArgument("%s is not a %s ARN of this region and account.", ref, typ)
	}
	name := parsed.ResourceID()
	if name == "" || strings.Contains(name, "/") && typ == "cluster" {
		return "", errdefs.InvalidArgument("%s is not a valid %s ARN.", ref, typ)
	}
	return name, nil
}

func invalidEnum(member, value, valid string) error {
	return errdefs.InvalidArgument("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", value, member, valid)
}

func itoa(v int) string { return strconv.Itoa(v) }
