package iamapi_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/fargohq/fargo/internal/api/apitest"
)

func TestGroups(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	out, err := env.IAM.CreateGroup(ctx, &iamsdk.CreateGroupInput{GroupName: aws.String("deployers"), Path: aws.String("/ci/")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Group.Arn) != "arn:aws:iam::"+account+":group/ci/deployers" || !strings.HasPrefix(aws.ToString(out.Group.GroupId), "AGPA") {
		t.Fatalf("group %+v", out.Group)
	}
	createUser(t, env, "ci")
	createUser(t, env, "dev")
	for _, u := range []string{"ci", "dev"} {
		if _, err := env.IAM.AddUserToGroup(ctx, &iamsdk.AddUserToGroupInput{GroupName: aws.String("deployers"), UserName: aws.String(u)}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := env.IAM.GetGroup(ctx, &iamsdk.GetGroupInput{GroupName: aws.String("deployers")})
	if err != nil || len(got.Users) != 2 || aws.ToString(got.Users[1].UserName) != "dev" {
		t.Fatalf("members %+v, %v", got, err)
	}
	forUser, err := env.IAM.ListGroupsForUser(ctx, &iamsdk.ListGroupsForUserInput{UserName: aws.String("ci")})
	if err != nil || len(forUser.Groups) != 1 || aws.ToString(forUser.Groups[0].GroupName) != "deployers" {
		t.Fatalf("groups of ci %+v, %v", forUser, err)
	}
	if _, err := env.IAM.AttachGroupPolicy(ctx, &iamsdk.AttachGroupPolicyInput{GroupName: aws.String("deployers"), PolicyArn: aws.String(ecrPolicy)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.IAM.PutGroupPolicy(ctx, &iamsdk.PutGroupPolicyInput{GroupName: aws.String("deployers"), PolicyName: aws.String("read"), PolicyDocument: aws.String(readECS)}); err != nil {
		t.Fatal(err)
	}
	attached, err := env.IAM.ListAttachedGroupPolicies(ctx, &iamsdk.ListAttachedGroupPoliciesInput{GroupName: aws.String("deployers")})
	if err != nil || len(attached.AttachedPolicies) != 1 {
		t.Fatalf("attached %+v, %v", attached, err)
	}
	inline, err := env.IAM.GetGroupPolicy(ctx, &iamsdk.GetGroupPolicyInput{GroupName: aws.String("deployers"), PolicyName: aws.String("read")})
	if err != nil || aws.ToString(inline.GroupName) != "deployers" || decode(t, inline.PolicyDocument) != readECS {
		t.Fatalf("inline %+v, %v", inline, err)
	}
	wantErrors(t, env, []errorCase{
		{"delete with members", func() error {
			_, err := env.IAM.DeleteGroup(ctx, &iamsdk.DeleteGroupInput{GroupName: aws.String("deployers")})
			return err
		}, "DeleteConflict", "Cannot delete entity, must remove users from group first.", conflict},
		{"delete member", func() error {
			_, err := env.IAM.DeleteUser(ctx, &iamsdk.DeleteUserInput{UserName: aws.String("dev")})
			return err
		}, "DeleteConflict", "Cannot delete entity, must remove users from group first.", conflict},
		{"create existing", func() error {
			_, err := env.IAM.CreateGroup(ctx, &iamsdk.CreateGroupInput{GroupName: aws.String("Deployers")})
			return err
		}, "EntityAlreadyExists", "Group with name Deployers already exists.", conflict},
		{"add to missing group", func() error {
			_, err := env.IAM.AddUserToGroup(ctx, &iamsdk.AddUserToGroupInput{GroupName: aws.String("ghosts"), UserName: aws.String("ci")})
			return err
		}, "NoSuchEntity", "The group with name ghosts cannot be found.", notFound},
		{"add missing user", func() error {
			_, err := env.IAM.AddUserToGroup(ctx, &iamsdk.AddUserToGroupInput{GroupName: aws.String("deployers"), UserName: aws.String("ghost")})
			return err
		}, "NoSuchEntity", "The user with name ghost cannot be found.", notFound},
		{"remove non-member", func() error {
			_, err := env.IAM.CreateGroup(ctx, &iamsdk.CreateGroupInput{GroupName: aws.String("bad name!")})
			return err
		}, "ValidationError", `1 validation error detected: Value 'bad name!' at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`, badReq},
		{"missing group policy", func() error {
			_, err := env.IAM.DeleteGroupPolicy(ctx, &iamsdk.DeleteGroupPolicyInput{GroupName: aws.String("deployers"), PolicyName: aws.String("ghost")})
			return err
		}, "NoSuchEntity", "The group policy with name ghost cannot be found.", notFound},
	})
	for _, u := range []string{"ci", "dev"} {
		if _, err := env.IAM.RemoveUserFromGroup(ctx, &iamsdk.RemoveUserFromGroupInput{GroupName: aws.String("deployers"), UserName: aws.String(u)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = env.IAM.RemoveUserFromGroup(ctx, &iamsdk.RemoveUserFromGroupInput{GroupName: aws.String("deployers"), UserName: aws.String("ci")})
	apitest.WantError(t, err, "NoSuchEntity", "The user with name ci cannot be found in group deployers.", notFound)
	_, err = env.IAM.DeleteGroup(ctx, &iamsdk.DeleteGroupInput{GroupName: aws.String("deployers")})
	apitest.WantError(t, err, "DeleteConflict", "Cannot delete entity, must detach all policies first.", conflict)
	if _, err := env.IAM.DetachGroupPolicy(ctx, &iamsdk.DetachGroupPolicyInput{GroupName: aws.String("deployers"), PolicyArn: aws.String(ecrPolicy)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.IAM.DeleteGroupPolicy(ctx, &iamsdk.DeleteGroupPolicyInput{GroupName: aws.String("deployers"), PolicyName: aws.String("read")}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.IAM.DeleteGroup(ctx, &iamsdk.DeleteGroupInput{GroupName: aws.String("deployers")}); err != nil {
		t.Fatal(err)
	}
	list, err := env.IAM.ListGroups(ctx, &iamsdk.ListGroupsInput{})
	if err != nil || len(list.Groups) != 0 {
		t.Fatalf("groups left %+v, %v", list, err)
	}
}

// TestPrincipalPolicies pins the lookup that enforcement will use: a key's user with every
// policy that applies to it, attached, inline and through its groups, as documents.
func TestPrincipalPolicies(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	createUser(t, env, "ci")
	key := createKey(t, env, "ci")
	mine := createPolicy(t, env, "deploy", readECS)
	calls := []func() error{
		func() error {
			_, err := env.IAM.AttachUserPolicy(ctx, &iamsdk.AttachUserPolicyInput{UserName: aws.String("ci"), PolicyArn: mine.Arn})
			return err
		},
		func() error {
			_, err := env.IAM.PutUserPolicy(ctx, &iamsdk.PutUserPolicyInput{UserName: aws.String("ci"), PolicyName: aws.String("own"), PolicyDocument: aws.String(allowAll)})
			return err
		},
		func() error {
			_, err := env.IAM.CreateGroup(ctx, &iamsdk.CreateGroupInput{GroupName: aws.String("g")})
			return err
		},
		func() error {
			_, err := env.IAM.AttachGroupPolicy(ctx, &iamsdk.AttachGroupPolicyInput{GroupName: aws.String("g"), PolicyArn: aws.String(ecrPolicy)})
			return err
		},
		func() error {
			_, err := env.IAM.AddUserToGroup(ctx, &iamsdk.AddUserToGroupInput{GroupName: aws.String("g"), UserName: aws.String("ci")})
			return err
		},
	}
	for _, call := range calls {
		if err := call(); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{aws.ToString(mine.Arn), "arn:aws:iam::" + account + ":user/ci/inline/own", ecrPolicy}
	eventually(t, "policies of the key's user", func() bool {
		p, ok := env.Directory.Principal(aws.ToString(key.AccessKeyId))
		var got []string
		for _, pol := range p.Policies {
			got = append(got, pol.Source)
		}
		return ok && p.ARN == "arn:aws:iam::"+account+":user/ci" && strings.Join(got, " ") == strings.Join(want, " ") &&
			p.Policies[0].Document == readECS && strings.Contains(p.Policies[2].Document, "ecr:*")
	})
}
