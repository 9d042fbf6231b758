package iamapi_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/fargohq/fargo/internal/api/apitest"
)

func TestRoles(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	out, err := env.IAM.CreateRole(ctx, &iamsdk.CreateRoleInput{RoleName: aws.String("ecsTaskExecutionRole"), AssumeRolePolicyDocument: aws.String(trust), Description: aws.String("tasks")})
	if err != nil {
		t.Fatal(err)
	}
	r := out.Role
	if aws.ToString(r.Arn) != "arn:aws:iam::"+account+":role/ecsTaskExecutionRole" || !strings.HasPrefix(aws.ToString(r.RoleId), "AROA") ||
		decode(t, r.AssumeRolePolicyDocument) != trust || aws.ToInt32(r.MaxSessionDuration) != 3600 {
		t.Fatalf("role %+v", r)
	}
	if _, err := env.IAM.AttachRolePolicy(ctx, &iamsdk.AttachRolePolicyInput{RoleName: aws.String("ecsTaskExecutionRole"), PolicyArn: aws.String(taskExec)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.IAM.PutRolePolicy(ctx, &iamsdk.PutRolePolicyInput{RoleName: aws.String("ecsTaskExecutionRole"), PolicyName: aws.String("logs"), PolicyDocument: aws.String(readECS)}); err != nil {
		t.Fatal(err)
	}
	newTrust := strings.Replace(trust, "ecs-tasks", "codedeploy", 1)
	if _, err := env.IAM.UpdateAssumeRolePolicy(ctx, &iamsdk.UpdateAssumeRolePolicyInput{RoleName: aws.String("ecsTaskExecutionRole"), PolicyDocument: aws.String(newTrust)}); err != nil {
		t.Fatal(err)
	}
	got, err := env.IAM.GetRole(ctx, &iamsdk.GetRoleInput{RoleName: aws.String("ecstaskexecutionrole")})
	if err != nil || decode(t, got.Role.AssumeRolePolicyDocument) != newTrust {
		t.Fatalf("role %+v, %v", got, err)
	}
	wantErrors(t, env, []errorCase{
		{"existing", func() error {
			_, err := env.IAM.CreateRole(ctx, &iamsdk.CreateRoleInput{RoleName: aws.String("ECSTaskExecutionRole"), AssumeRolePolicyDocument: aws.String(trust)})
			return err
		}, "EntityAlreadyExists", "Role with name ECSTaskExecutionRole already exists.", conflict},
		{"malformed trust", func() error {
			_, err := env.IAM.CreateRole(ctx, &iamsdk.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String("nope")})
			return err
		}, "MalformedPolicyDocument", "Syntax errors in policy.", badReq},
		{"session too long", func() error {
			_, err := env.IAM.CreateRole(ctx, &iamsdk.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trust), MaxSessionDuration: aws.Int32(50000)})
			return err
		}, "ValidationError", "1 validation error detected: Value '50000' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200", badReq},
		{"delete with policies", func() error {
			_, err := env.IAM.DeleteRole(ctx, &iamsdk.DeleteRoleInput{RoleName: aws.String("ecsTaskExecutionRole")})
			return err
		}, "DeleteConflict", "Cannot delete entity, must detach all policies first.", conflict},
		{"missing", func() error {
			_, err := env.IAM.GetRole(ctx, &iamsdk.GetRoleInput{RoleName: aws.String("ghost")})
			return err
		}, "NoSuchEntity", "The role with name ghost cannot be found.", notFound},
		{"update missing", func() error {
			_, err := env.IAM.UpdateAssumeRolePolicy(ctx, &iamsdk.UpdateAssumeRolePolicyInput{RoleName: aws.String("ghost"), PolicyDocument: aws.String(trust)})
			return err
		}, "NoSuchEntity", "The role with name ghost cannot be found.", notFound},
	})
	details, err := env.IAM.GetAccountAuthorizationDetails(ctx, &iamsdk.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{types.EntityTypeRole, types.EntityTypeAWSManagedPolicy}})
	if err != nil {
		t.Fatal(err)
	}
	if len(details.RoleDetailList) != 1 || len(details.RoleDetailList[0].AttachedManagedPolicies) != 1 || len(details.RoleDetailList[0].RolePolicyList) != 1 ||
		len(details.Policies) != 1 || aws.ToString(details.Policies[0].Arn) != taskExec || len(details.UserDetailList) != 0 {
		t.Fatalf("details %+v", details)
	}
	if _, err := env.IAM.DetachRolePolicy(ctx, &iamsdk.DetachRolePolicyInput{RoleName: aws.String("ecsTaskExecutionRole"), PolicyArn: aws.String(taskExec)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.IAM.DeleteRolePolicy(ctx, &iamsdk.DeleteRolePolicyInput{RoleName: aws.String("ecsTaskExecutionRole"), PolicyName: aws.String("logs")}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.IAM.DeleteRole(ctx, &iamsdk.DeleteRoleInput{RoleName: aws.String("ecsTaskExecutionRole")}); err != nil {
		t.Fatal(err)
	}
	list, err := env.IAM.ListRoles(ctx, &iamsdk.ListRolesInput{})
	if err != nil || len(list.Roles) != 0 {
		t.Fatalf("roles left %+v, %v", list, err)
	}
}

func TestAccountAuthorizationDetails(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	createUser(t, env, "ci")
	createUser(t, env, "dev")
	createPolicy(t, env, "deploy", readECS)
	if _, err := env.IAM.CreateGroup(ctx, &iamsdk.CreateGroupInput{GroupName: aws.String("g")}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.IAM.AddUserToGroup(ctx, &iamsdk.AddUserToGroupInput{GroupName: aws.String("g"), UserName: aws.String("ci")}); err != nil {
		t.Fatal(err)
	}
	var users, groups, policies []string
	p := iamsdk.NewGetAccountAuthorizationDetailsPaginator(env.IAM, &iamsdk.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int32(1)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range out.UserDetailList {
			users = append(users, aws.ToString(u.UserName)+strings.Join(u.GroupList, ","))
		}
		for _, g := range out.GroupDetailList {
			groups = append(groups, aws.ToString(g.GroupName))
		}
		for _, pol := range out.Policies {
			policies = append(policies, aws.ToString(pol.PolicyName)+":"+decode(t, pol.PolicyVersionList[0].Document))
		}
	}
	if strings.Join(users, " ") != "cig dev" || strings.Join(groups, " ") != "g" || strings.Join(policies, " ") != "deploy:"+readECS {
		t.Fatalf("users %v groups %v policies %v", users, groups, policies)
	}
}
