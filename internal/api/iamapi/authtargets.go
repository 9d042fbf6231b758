package iamapi

import (
	"strings"

	"github.com/fargohq/fargo/internal/api/awsproto"
)

// targets names the users, groups, roles and policies of an IAM request, for its
// authorization: each by its path and name, the path only where the request gives it (the
// Create operations), or by ARN. A request on access keys or user policies that names no user
// acts on the caller, which the authorizer fills in.
func targets(op string, in awsproto.Input) awsproto.Target {
	var t awsproto.Target
	path := strings.TrimPrefix(in.String("Path"), "/")
	switch op {
	case "CreateUser":
		t.Add(path + in.String("UserName"))
	case "CreateGroup":
		t.Add(path + in.String("GroupName"))
	case "CreateRole":
		t.Add(path + in.String("RoleName"))
	case "CreatePolicy":
		t.Add(path + in.String("PolicyName"))
	case "GetPolicy", "DeletePolicy", "CreatePolicyVersion", "GetPolicyVersion", "ListPolicyVersions",
		"DeletePolicyVersion", "SetDefaultPolicyVersion":
		t.Add(in.String("PolicyArn"))
	case "GetGroup", "DeleteGroup", "AddUserToGroup", "RemoveUserFromGroup", "AttachGroupPolicy", "DetachGroupPolicy",
		"ListAttachedGroupPolicies", "PutGroupPolicy", "GetGroupPolicy", "ListGroupPolicies", "DeleteGroupPolicy":
		t.Add(in.String("GroupName"))
	case "GetRole", "DeleteRole", "UpdateAssumeRolePolicy", "AttachRolePolicy", "DetachRolePolicy",
		"ListAttachedRolePolicies", "PutRolePolicy", "GetRolePolicy", "ListRolePolicies", "DeleteRolePolicy":
		t.Add(in.String("RoleName"))
	case "SimulatePrincipalPolicy", "GetContextKeysForPrincipalPolicy":
		t.Add(in.String("PolicySourceArn"))
	case "UpdateUser":
		t.Add(in.String("UserName"))
		if n := in.String("NewUserName"); n != "" {
			t.Add(strings.TrimPrefix(in.String("NewPath"), "/") + n)
		}
	default:
		t.Add(in.String("UserName"))
	}
	return t
}
