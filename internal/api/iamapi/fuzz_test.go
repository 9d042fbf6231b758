package iamapi_test

import (
	"net/url"
	"testing"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/iamapi"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

const fuzzPolicy = "arn:aws:iam::" + account + ":policy/p"

// fuzzService is the IAM API over a fresh in-memory store.
func fuzzService(t testing.TB) awsproto.Service {
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mem.Close() })
	box, err := credentials.NewBox(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	return iamapi.New(account, iamapi.Deps{Store: store.New(mem), Secrets: box}).Service()
}

func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

// fuzzSetup gives every input a user in a group, a managed policy and a role.
var fuzzSetup = []apitest.Call{
	{Op: "CreateUser", Body: form("UserName", "ci")},
	{Op: "CreateGroup", Body: form("GroupName", "g")},
	{Op: "AddUserToGroup", Body: form("GroupName", "g", "UserName", "ci")},
	{Op: "CreatePolicy", Body: form("PolicyName", "p", "PolicyDocument", allowAll)},
	{Op: "CreateRole", Body: form("RoleName", "r", "AssumeRolePolicyDocument", trust)},
}

// FuzzOperations sends arbitrary form bodies to every IAM operation of a service that holds a
// user in a group, a policy and a role, built afresh for each input. No input may panic, and
// every failure must be a client error (4xx).
func FuzzOperations(f *testing.F) {
	seeds := []apitest.Call{
		{Op: "CreateUser", Body: form("UserName", "u2", "Path", "/a/", "Tags.member.1.Key", "k", "Tags.member.1.Value", "v")},
		{Op: "UpdateUser", Body: form("UserName", "ci", "NewUserName", "ci2", "NewPath", "/b/")},
		{Op: "ListUsers", Body: form("PathPrefix", "/", "MaxItems", "1", "Marker", "Y2k")},
		{Op: "TagUser", Body: form("UserName", "ci", "Tags.member.1.Key", "k", "Tags.member.1.Value", "v")},
		{Op: "UntagUser", Body: form("UserName", "ci", "TagKeys.member.1", "k")},
		{Op: "CreateAccessKey", Body: form("UserName", "ci")},
		{Op: "UpdateAccessKey", Body: form("UserName", "ci", "AccessKeyId", "AKIAAAAAAAAAAAAAAAAA", "Status", "Inactive")},
		{Op: "GetGroup", Body: form("GroupName", "g", "MaxItems", "1")},
		{Op: "RemoveUserFromGroup", Body: form("GroupName", "g", "UserName", "ci")},
		{Op: "CreatePolicyVersion", Body: form("PolicyArn", fuzzPolicy, "PolicyDocument", readECS, "SetAsDefault", "true")},
		{Op: "SetDefaultPolicyVersion", Body: form("PolicyArn", fuzzPolicy, "VersionId", "v1")},
		{Op: "DeletePolicyVersion", Body: form("PolicyArn", fuzzPolicy, "VersionId", "v1")},
		{Op: "ListPolicies", Body: form("Scope", "AWS", "OnlyAttached", "true", "MaxItems", "3")},
		{Op: "AttachUserPolicy", Body: form("UserName", "ci", "PolicyArn", fuzzPolicy)},
		{Op: "AttachGroupPolicy", Body: form("GroupName", "g", "PolicyArn", ecrPolicy)},
		{Op: "AttachRolePolicy", Body: form("RoleName", "r", "PolicyArn", taskExec)},
		{Op: "PutUserPolicy", Body: form("UserName", "ci", "PolicyName", "own", "PolicyDocument", readECS)},
		{Op: "PutRolePolicy", Body: form("RoleName", "r", "PolicyName", "own", "PolicyDocument", readECS)},
		{Op: "UpdateAssumeRolePolicy", Body: form("RoleName", "r", "PolicyDocument", trust)},
		{Op: "GetAccountAuthorizationDetails", Body: form("Filter.member.1", "User", "MaxItems", "2")},
	}
	apitest.FuzzQuery(f, fuzzService, fuzzSetup, seeds)
}
