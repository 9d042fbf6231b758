package iamapi_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/fargohq/fargo/internal/api/apitest"
)

const (
	allowAll  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	readECS   = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["ecs:Describe*","ecs:List*"],"Resource":"*"}}`
	ecrPolicy = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess"
	taskExec  = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
	trust     = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
)

func createPolicy(t *testing.T, env *apitest.Env, name, doc string) types.Policy {
	t.Helper()
	out, err := env.IAM.CreatePolicy(apitest.Context(t), &iamsdk.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(doc)})
	if err != nil {
		t.Fatal(err)
	}
	return *out.Policy
}

func decode(t *testing.T, doc *string) string {
	t.Helper()
	s, err := url.QueryUnescape(aws.ToString(doc))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestManagedPolicyVersions(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	p := createPolicy(t, env, "deploy", readECS)
	if aws.ToString(p.Arn) != "arn:aws:iam::"+account+":policy/deploy" || !strings.HasPrefix(aws.ToString(p.PolicyId), "ANPA") || aws.ToString(p.DefaultVersionId) != "v1" || !p.IsAttachable {
		t.Fatalf("policy %+v", p)
	}
	for range 4 {
		if _, err := env.IAM.CreatePolicyVersion(ctx, &iamsdk.CreatePolicyVersionInput{PolicyArn: p.Arn, PolicyDocument: aws.String(allowAll)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := env.IAM.SetDefaultPolicyVersion(ctx, &iamsdk.SetDefaultPolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String("v5")}); err != nil {
		t.Fatal(err)
	}
	v, err := env.IAM.GetPolicyVersion(ctx, &iamsdk.GetPolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String("v5")})
	if err != nil {
		t.Fatal(err)
	}
	if decode(t, v.PolicyVersion.Document) != allowAll || !v.PolicyVersion.IsDefaultVersion {
		t.Fatalf("v5: %+v", v.PolicyVersion)
	}
	if strings.ContainsAny(aws.ToString(v.PolicyVersion.Document), `{"`) {
		t.Fatalf("document not URL-encoded: %s", aws.ToString(v.PolicyVersion.Document))
	}
	wantErrors(t, env, []errorCase{
		{"sixth version", func() error {
			_, err := env.IAM.CreatePolicyVersion(ctx, &iamsdk.CreatePolicyVersionInput{PolicyArn: p.Arn, PolicyDocument: aws.String(allowAll)})
			return err
		}, "LimitExceeded", "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.", conflict},
		{"delete default version", func() error {
			_, err := env.IAM.DeletePolicyVersion(ctx, &iamsdk.DeletePolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String("v5")})
			return err
		}, "DeleteConflict", "Cannot delete the default version of a policy.", conflict},
		{"delete with versions", func() error {
			_, err := env.IAM.DeletePolicy(ctx, &iamsdk.DeletePolicyInput{PolicyArn: p.Arn})
			return err
		}, "DeleteConflict", "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.", conflict},
		{"missing version", func() error {
			_, err := env.IAM.GetPolicyVersion(ctx, &iamsdk.GetPolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String("v9")})
			return err
		}, "NoSuchEntity", "Policy " + aws.ToString(p.Arn) + " version v9 does not exist or is not attachable.", notFound},
		{"malformed", func() error {
			_, err := env.IAM.CreatePolicyVersion(ctx, &iamsdk.CreatePolicyVersionInput{PolicyArn: p.Arn, PolicyDocument: aws.String("{")})
			return err
		}, "MalformedPolicyDocument", "Syntax errors in policy.", badReq},
		{"existing name", func() error {
			_, err := env.IAM.CreatePolicy(ctx, &iamsdk.CreatePolicyInput{PolicyName: aws.String("Deploy"), PolicyDocument: aws.String(allowAll)})
			return err
		}, "EntityAlreadyExists", "A policy called Deploy already exists. Duplicate names are not allowed.", conflict},
		{"no statement", func() error {
			_, err := env.IAM.CreatePolicy(ctx, &iamsdk.CreatePolicyInput{PolicyName: aws.String("x"), PolicyDocument: aws.String(`{"Version":"2012-10-17"}`)})
			return err
		}, "MalformedPolicyDocument", "Missing required field Statement", badReq},
		{"bad ARN", func() error {
			_, err := env.IAM.GetPolicy(ctx, &iamsdk.GetPolicyInput{PolicyArn: aws.String("arn:aws:s3:::bucket-of-things")})
			return err
		}, "InvalidInput", "ARN arn:aws:s3:::bucket-of-things is not valid.", badReq},
		{"missing policy", func() error {
			_, err := env.IAM.GetPolicy(ctx, &iamsdk.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::" + account + ":policy/ghost")})
			return err
		}, "NoSuchEntity", "Policy arn:aws:iam::" + account + ":policy/ghost does not exist or is not attachable.", notFound},
		{"delete AWS managed", func() error {
			_, err := env.IAM.DeletePolicy(ctx, &iamsdk.DeletePolicyInput{PolicyArn: aws.String(ecrPolicy)})
			return err
		}, "InvalidInput", "The AWS managed policy " + ecrPolicy + " cannot be changed or deleted.", badReq},
	})
	for _, id := range []string{"v1", "v2", "v3", "v4"} {
		if _, err := env.IAM.DeletePolicyVersion(ctx, &iamsdk.DeletePolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String(id)}); err != nil {
			t.Fatal(err)
		}
	}
	versions, err := env.IAM.ListPolicyVersions(ctx, &iamsdk.ListPolicyVersionsInput{PolicyArn: p.Arn})
	if err != nil || len(versions.Versions) != 1 || aws.ToString(versions.Versions[0].VersionId) != "v5" {
		t.Fatalf("versions %+v, %v", versions, err)
	}
	if _, err := env.IAM.DeletePolicy(ctx, &iamsdk.DeletePolicyInput{PolicyArn: p.Arn}); err != nil {
		t.Fatal(err)
	}
}

func TestAWSManagedPolicies(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	var names []string
	p := iamsdk.NewListPoliciesPaginator(env.IAM, &iamsdk.ListPoliciesInput{Scope: types.PolicyScopeTypeAws, MaxItems: aws.Int32(5)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, pol := range out.Policies {
			names = append(names, aws.ToString(pol.PolicyName))
		}
	}
	for _, want := range []string{"AmazonEC2ContainerRegistryFullAccess", "AmazonEC2ContainerRegistryPowerUser", "AmazonEC2ContainerRegistryReadOnly",
		"AmazonECS_FullAccess", "AmazonECSTaskExecutionRolePolicy", "AWSCodeDeployFullAccess", "AWSCodeDeployRoleForECS", "AWSCodeDeployReadOnlyAccess",
		"ElasticLoadBalancingFullAccess", "ElasticLoadBalancingReadOnly", "CloudWatchLogsFullAccess", "CloudWatchLogsReadOnlyAccess",
		"ReadOnlyAccess", "PowerUserAccess", "AdministratorAccess", "IAMFullAccess", "IAMReadOnlyAccess"} {
		if !slices.Contains(names, want) {
			t.Errorf("ListPolicies Scope=AWS lacks %s", want)
		}
	}
	got, err := env.IAM.GetPolicy(ctx, &iamsdk.GetPolicyInput{PolicyArn: aws.String(taskExec)})
	if err != nil {
		t.Fatal(err)
	}
	v, err := env.IAM.GetPolicyVersion(ctx, &iamsdk.GetPolicyVersionInput{PolicyArn: got.Policy.Arn, VersionId: got.Policy.DefaultVersionId})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(decode(t, v.PolicyVersion.Document), "ecr:GetAuthorizationToken") || aws.ToString(got.Policy.Path) != "/service-role/" {
		t.Fatalf("task execution policy %+v: %s", got.Policy, decode(t, v.PolicyVersion.Document))
	}
	local, err := env.IAM.ListPolicies(ctx, &iamsdk.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal})
	if err != nil || len(local.Policies) != 0 {
		t.Fatalf("local policies %+v, %v", local, err)
	}
}

func TestAttachedPolicies(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	createUser(t, env, "ci")
	mine := createPolicy(t, env, "deploy", readECS)
	for _, arn := range []string{ecrPolicy, aws.ToString(mine.Arn), ecrPolicy} { // attaching twice is no error
		if _, err := env.IAM.AttachUserPolicy(ctx, &iamsdk.AttachUserPolicyInput{UserName: aws.String("ci"), PolicyArn: aws.String(arn)}); err != nil {
			t.Fatal(err)
		}
	}
	list, err := env.IAM.ListAttachedUserPolicies(ctx, &iamsdk.ListAttachedUserPoliciesInput{UserName: aws.String("ci")})
	if err != nil {
		t.Fatal(err)
	}
	var arns []string
	for _, p := range list.AttachedPolicies {
		arns = append(arns, aws.ToString(p.PolicyName)+"="+aws.ToString(p.PolicyArn))
	}
	if strings.Join(arns, " ") != "deploy="+aws.ToString(mine.Arn)+" AmazonEC2ContainerRegistryFullAccess="+ecrPolicy {
		t.Fatalf("attached %v", arns)
	}
	for arn, want := range map[string]int32{aws.ToString(mine.Arn): 1, ecrPolicy: 1} {
		got, err := env.IAM.GetPolicy(ctx, &iamsdk.GetPolicyInput{PolicyArn: aws.String(arn)})
		if err != nil || aws.ToInt32(got.Policy.AttachmentCount) != want {
			t.Fatalf("%s: %+v, %v", arn, got, err)
		}
	}
	wantErrors(t, env, []errorCase{
		{"delete attached policy", func() error {
			_, err := env.IAM.DeletePolicy(ctx, &iamsdk.DeletePolicyInput{PolicyArn: mine.Arn})
			return err
		}, "DeleteConflict", "Cannot delete a policy attached to entities.", conflict},
		{"delete user with policies", func() error {
			_, err := env.IAM.DeleteUser(ctx, &iamsdk.DeleteUserInput{UserName: aws.String("ci")})
			return err
		}, "DeleteConflict", "Cannot delete entity, must detach all policies first.", conflict},
		{"attach missing policy", func() error {
			_, err := env.IAM.AttachUserPolicy(ctx, &iamsdk.AttachUserPolicyInput{UserName: aws.String("ci"), PolicyArn: aws.String("arn:aws:iam::aws:policy/Nope")})
			return err
		}, "NoSuchEntity", "Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.", notFound},
		{"attach to missing user", func() error {
			_, err := env.IAM.AttachUserPolicy(ctx, &iamsdk.AttachUserPolicyInput{UserName: aws.String("ghost"), PolicyArn: aws.String(ecrPolicy)})
			return err
		}, "NoSuchEntity", "The user with name ghost cannot be found.", notFound},
		{"detach unattached", func() error {
			_, err := env.IAM.DetachUserPolicy(ctx, &iamsdk.DetachUserPolicyInput{UserName: aws.String("ci"), PolicyArn: aws.String(taskExec)})
			return err
		}, "NoSuchEntity", "Policy " + taskExec + " was not found.", notFound},
	})
	if _, err := env.IAM.DetachUserPolicy(ctx, &iamsdk.DetachUserPolicyInput{UserName: aws.String("ci"), PolicyArn: mine.Arn}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.IAM.DeletePolicy(ctx, &iamsdk.DeletePolicyInput{PolicyArn: mine.Arn}); err != nil {
		t.Fatalf("delete detached policy: %v", err)
	}
}

func TestInlinePolicies(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	createUser(t, env, "ci")
	if _, err := env.IAM.PutUserPolicy(ctx, &iamsdk.PutUserPolicyInput{UserName: aws.String("ci"), PolicyName: aws.String("read"), PolicyDocument: aws.String(readECS)}); err != nil {
		t.Fatal(err)
	}
	got, err := env.IAM.GetUserPolicy(ctx, &iamsdk.GetUserPolicyInput{UserName: aws.String("ci"), PolicyName: aws.String("read")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(got.UserName) != "ci" || decode(t, got.PolicyDocument) != readECS {
		t.Fatalf("got %s %s", aws.ToString(got.UserName), aws.ToString(got.PolicyDocument))
	}
	names, err := env.IAM.ListUserPolicies(ctx, &iamsdk.ListUserPoliciesInput{UserName: aws.String("ci")})
	if err != nil || strings.Join(names.PolicyNames, ",") != "read" {
		t.Fatalf("names %+v, %v", names, err)
	}
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"` + strings.Repeat("x", 2100) + `"}]}`
	wantErrors(t, env, []errorCase{
		{"too large", func() error {
			_, err := env.IAM.PutUserPolicy(ctx, &iamsdk.PutUserPolicyInput{UserName: aws.String("ci"), PolicyName: aws.String("big"), PolicyDocument: aws.String(big)})
			return err
		}, "LimitExceeded", "Maximum policy size of 2048 bytes exceeded for user ci", conflict},
		{"malformed", func() error {
			_, err := env.IAM.PutUserPolicy(ctx, &iamsdk.PutUserPolicyInput{UserName: aws.String("ci"), PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":7}`)})
			return err
		}, "MalformedPolicyDocument", "Syntax errors in policy.", badReq},
		{"missing policy", func() error {
			_, err := env.IAM.GetUserPolicy(ctx, &iamsdk.GetUserPolicyInput{UserName: aws.String("ci"), PolicyName: aws.String("ghost")})
			return err
		}, "NoSuchEntity", "The user policy with name ghost cannot be found.", notFound},
		{"delete user with inline policies", func() error {
			_, err := env.IAM.DeleteUser(ctx, &iamsdk.DeleteUserInput{UserName: aws.String("ci")})
			return err
		}, "DeleteConflict", "Cannot delete entity, must delete policies first.", conflict},
	})
	if _, err := env.IAM.DeleteUserPolicy(ctx, &iamsdk.DeleteUserPolicyInput{UserName: aws.String("ci"), PolicyName: aws.String("read")}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.IAM.DeleteUser(ctx, &iamsdk.DeleteUserInput{UserName: aws.String("ci")}); err != nil {
		t.Fatal(err)
	}
}
