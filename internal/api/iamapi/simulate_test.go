package iamapi_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/apitest"
)

const (
	svcWeb = "arn:aws:ecs:us-east-1:" + account + ":service/prod/web"
	svcAPI = "arn:aws:ecs:us-east-1:" + account + ":service/prod/api"
	// deployPolicy allows web's deploys, denies api's, and allows scaling from the office.
	deployPolicy = `{"Version":"2012-10-17","Statement":[
  {"Sid":"Deploy","Effect":"Allow","Action":"ecs:UpdateService","Resource":"arn:aws:ecs:*:*:service/prod/*"},
  {"Sid":"NoApi","Effect":"Deny","Action":"ecs:UpdateService","Resource":"` + svcAPI + `"},
  {"Sid":"Office","Effect":"Allow","Action":"ecs:StopTask","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}`
)

// result is what a test compares of an EvaluationResult; each matched statement is written
// "<SourcePolicyId> <SourcePolicyType> <start line>:<column>-<end line>:<column>".
type result struct {
	Action, Resource, Decision string
	Matched                    []string
	Missing                    []string
}

func results(out []types.EvaluationResult) []result {
	var rs []result
	for _, r := range out {
		matched := []string{}
		for _, s := range r.MatchedStatements {
			where := "-"
			if s.StartPosition != nil && s.EndPosition != nil {
				where = fmt.Sprintf("%d:%d-%d:%d", s.StartPosition.Line, s.StartPosition.Column, s.EndPosition.Line, s.EndPosition.Column)
			}
			matched = append(matched, aws.ToString(s.SourcePolicyId)+" "+string(s.SourcePolicyType)+" "+where)
		}
		rs = append(rs, result{aws.ToString(r.EvalActionName), aws.ToString(r.EvalResourceName), string(r.EvalDecision), matched, r.MissingContextValues})
	}
	return rs
}

func TestSimulatePrincipalPolicy(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	u := createUser(t, env, "ci")
	if _, err := env.IAM.PutUserPolicy(ctx, &iamsdk.PutUserPolicyInput{UserName: aws.String("ci"), PolicyName: aws.String("deploy"), PolicyDocument: aws.String(deployPolicy)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.IAM.CreateGroup(ctx, &iamsdk.CreateGroupInput{GroupName: aws.String("readers")}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.IAM.AttachGroupPolicy(ctx, &iamsdk.AttachGroupPolicyInput{GroupName: aws.String("readers"), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.IAM.AddUserToGroup(ctx, &iamsdk.AddUserToGroupInput{GroupName: aws.String("readers"), UserName: aws.String("ci")}); err != nil {
		t.Fatal(err)
	}
	out, err := env.IAM.SimulatePrincipalPolicy(ctx, &iamsdk.SimulatePrincipalPolicyInput{
		PolicySourceArn: u.Arn,
		ActionNames:     []string{"ecs:UpdateService", "ecs:DescribeServices", "ecs:StopTask", "ecs:DeleteService"},
		ResourceArns:    []string{svcWeb, svcAPI},
		ContextEntries:  []types.ContextEntry{{ContextKeyName: aws.String("aws:SourceIp"), ContextKeyValues: []string{"192.0.2.10"}, ContextKeyType: types.ContextKeyTypeEnumIp}},
	})
	if err != nil {
		t.Fatal(err)
	}
	deploy, noAPI, office := "deploy user 2:3-2:108", "deploy user 3:3-3:127", "deploy user 4:3-4:132"
	readOnly := "ReadOnlyAccess aws-managed 4:9-44:9"
	want := []result{
		{"ecs:UpdateService", svcWeb, "allowed", []string{deploy}, []string{}},
		{"ecs:UpdateService", svcAPI, "explicitDeny", []string{noAPI}, []string{}},
		{"ecs:DescribeServices", svcWeb, "allowed", []string{readOnly}, []string{}},
		{"ecs:DescribeServices", svcAPI, "allowed", []string{readOnly}, []string{}},
		{"ecs:StopTask", svcWeb, "allowed", []string{office}, []string{}},
		{"ecs:StopTask", svcAPI, "allowed", []string{office}, []string{}},
		{"ecs:DeleteService", svcWeb, "implicitDeny", []string{}, []string{}},
		{"ecs:DeleteService", svcAPI, "implicitDeny", []string{}, []string{}},
	}
	if diff := cmp.Diff(want, results(out.EvaluationResults)); diff != "" {
		t.Errorf("EvaluationResults (-want +got):\n%s", diff)
	}
	if out.IsTruncated {
		t.Error("IsTruncated with 8 results")
	}

	// Without the source address the office statement's key is missing, and nothing allows.
	out, err = env.IAM.SimulatePrincipalPolicy(ctx, &iamsdk.SimulatePrincipalPolicyInput{PolicySourceArn: u.Arn, ActionNames: []string{"ecs:StopTask"}})
	if err != nil {
		t.Fatal(err)
	}
	want = []result{{"ecs:StopTask", "*", "implicitDeny", []string{}, []string{"aws:SourceIp"}}}
	if diff := cmp.Diff(want, results(out.EvaluationResults)); diff != "" {
		t.Errorf("without aws:SourceIp (-want +got):\n%s", diff)
	}
}

func TestSimulatePages(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	actions := []string{"ecs:UpdateService", "ecs:DescribeServices", "ecs:StopTask"}
	in := &iamsdk.SimulateCustomPolicyInput{PolicyInputList: []string{deployPolicy, allowAll}, ActionNames: actions, MaxItems: aws.Int32(2)}
	var got []string
	for page := 0; ; page++ {
		out, err := env.IAM.SimulateCustomPolicy(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range out.EvaluationResults {
			got = append(got, aws.ToString(r.EvalActionName)+" "+string(r.EvalDecision)+" "+aws.ToString(r.MatchedStatements[0].SourcePolicyId))
		}
		if !out.IsTruncated {
			break
		}
		if page > 3 {
			t.Fatal("pages do not end")
		}
		in.Marker = out.Marker
	}
	want := []string{"ecs:UpdateService allowed PolicyInputList.2", "ecs:DescribeServices allowed PolicyInputList.2", "ecs:StopTask allowed PolicyInputList.2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
}

func TestContextKeysForPolicies(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	role, err := env.IAM.CreateRole(ctx, &iamsdk.CreateRoleInput{RoleName: aws.String("deployer"), Path: aws.String("/ci/"), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.IAM.PutRolePolicy(ctx, &iamsdk.PutRolePolicyInput{RoleName: aws.String("deployer"), PolicyName: aws.String("deploy"), PolicyDocument: aws.String(deployPolicy)}); err != nil {
		t.Fatal(err)
	}
	const regional = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1","ecs:cluster":"x"}}}}`
	principal, err := env.IAM.GetContextKeysForPrincipalPolicy(ctx, &iamsdk.GetContextKeysForPrincipalPolicyInput{PolicySourceArn: role.Role.Arn, PolicyInputList: []string{regional}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"aws:RequestedRegion", "aws:SourceIp", "ecs:cluster"}; !cmp.Equal(principal.ContextKeyNames, want) {
		t.Errorf("principal's keys %v, want %v", principal.ContextKeyNames, want)
	}
	custom, err := env.IAM.GetContextKeysForCustomPolicy(ctx, &iamsdk.GetContextKeysForCustomPolicyInput{PolicyInputList: []string{regional}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"aws:RequestedRegion", "ecs:cluster"}; !cmp.Equal(custom.ContextKeyNames, want) {
		t.Errorf("custom keys %v, want %v", custom.ContextKeyNames, want)
	}
	// The role's ARN with its path names it; without the path it names no role.
	out, err := env.IAM.SimulatePrincipalPolicy(ctx, &iamsdk.SimulatePrincipalPolicyInput{PolicySourceArn: role.Role.Arn, ActionNames: []string{"ecs:UpdateService"}, ResourceArns: []string{svcWeb}})
	if err != nil {
		t.Fatal(err)
	}
	if d := out.EvaluationResults[0].EvalDecision; d != types.PolicyEvaluationDecisionTypeAllowed {
		t.Errorf("role's decision %s", d)
	}
}

func TestSimulateErrors(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	createUser(t, env, "ci")
	userARN := "arn:aws:iam::" + account + ":user/ci"
	simulate := func(in *iamsdk.SimulatePrincipalPolicyInput) func() error {
		return func() error { _, err := env.IAM.SimulatePrincipalPolicy(ctx, in); return err }
	}
	actions := []string{"ecs:UpdateService"}
	wantErrors(t, env, []errorCase{
		{name: "no such user", call: simulate(&iamsdk.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::" + account + ":user/nobody"), ActionNames: actions}),
			code: "NoSuchEntity", message: "The user with name nobody cannot be found.", status: notFound},
		{name: "user under another path", call: simulate(&iamsdk.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::" + account + ":user/dev/ci"), ActionNames: actions}),
			code: "NoSuchEntity", message: "The user with name ci cannot be found.", status: notFound},
		{name: "no such role", call: simulate(&iamsdk.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::" + account + ":role/nobody"), ActionNames: actions}),
			code: "NoSuchEntity", message: "The role with name nobody cannot be found.", status: notFound},
		{name: "not an entity", call: simulate(&iamsdk.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::" + account + ":policy/p"), ActionNames: actions}),
			code: "InvalidInput", message: "Invalid ARN arn:aws:iam::" + account + ":policy/p: expected the ARN of a user, group or role of account " + account + ".", status: badReq},
		{name: "wildcard action", call: simulate(&iamsdk.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(userARN), ActionNames: []string{"ecs:*"}}),
			code: "InvalidInput", message: "Invalid action name ecs:*: use service:Operation, without wildcards.", status: badReq},
		{name: "bad context value", call: simulate(&iamsdk.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(userARN), ActionNames: actions,
			ContextEntries: []types.ContextEntry{{ContextKeyName: aws.String("aws:SourceIp"), ContextKeyValues: []string{"office"}, ContextKeyType: types.ContextKeyTypeEnumIp}}}),
			code: "InvalidInput", message: `aws:SourceIp: "office" is not an IP address`, status: badReq},
		{name: "resource policy", call: simulate(&iamsdk.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(userARN), ActionNames: actions, ResourcePolicy: aws.String(allowAll)}),
			code: "InvalidInput", message: "Resource-based policies are not supported by fargo's policy simulator.", status: badReq},
		{name: "malformed input policy", call: func() error {
			_, err := env.IAM.SimulateCustomPolicy(ctx, &iamsdk.SimulateCustomPolicyInput{PolicyInputList: []string{`{"Statement":[]`}, ActionNames: actions})
			return err
		}, code: "InvalidInput", message: "PolicyInputList.1 is not a valid policy: Syntax errors in policy.", status: badReq},
		{name: "bad marker", call: simulate(&iamsdk.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(userARN), ActionNames: actions, Marker: aws.String("nope")}),
			code: "ValidationError", message: "Invalid Marker.", status: badReq},
	})
}
