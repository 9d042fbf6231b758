package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/fargohq/fargo/internal/api/apitest"
)

// explainPolicy allows web's deploys and denies api's, on lines of their own.
const explainPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Deploy", "Effect": "Allow", "Action": "ecs:UpdateService",
     "Resource": "arn:aws:ecs:us-east-1:000000000000:service/prod/*"},
    {"Sid": "NoApi", "Effect": "Deny", "Action": "ecs:UpdateService", "Resource": "arn:aws:ecs:us-east-1:000000000000:service/prod/api"},
    {"Sid": "Office", "Effect": "Allow", "Action": "ecs:StopTask", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}
  ]
}`

func TestIAMExplain(t *testing.T) {
	t.Parallel()
	srv := apitest.Start(t)
	client := iamsdk.NewFromConfig(srv.AWS)
	ctx := apitest.Context(t)
	if _, err := client.CreateUser(ctx, &iamsdk.CreateUserInput{UserName: aws.String("ci"), Path: aws.String("/deploy/")}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.PutUserPolicy(ctx, &iamsdk.PutUserPolicyInput{UserName: aws.String("ci"), PolicyName: aws.String("deploy"), PolicyDocument: aws.String(explainPolicy)}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.AttachUserPolicy(ctx, &iamsdk.AttachUserPolicyInput{UserName: aws.String("ci"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly")}); err != nil {
		t.Fatal(err)
	}
	key, err := client.CreateAccessKey(ctx, &iamsdk.CreateAccessKeyInput{UserName: aws.String("ci")})
	if err != nil {
		t.Fatal(err)
	}
	const ciARN = "arn:aws:iam::000000000000:user/deploy/ci"
	tests := []struct {
		name string
		opts explainOptions
		want string
	}{
		{name: "allowed, by user", opts: explainOptions{user: "ci", action: "ecs:UpdateService", resources: []string{"arn:aws:ecs:us-east-1:000000000000:service/prod/web"}},
			want: `ecs:UpdateService on arn:aws:ecs:us-east-1:000000000000:service/prod/web for ` + ciARN + `: ALLOWED
  allowed by the statement at lines 4-5 of the user's inline policy deploy
      {"Sid": "Deploy", "Effect": "Allow", "Action": "ecs:UpdateService",
           "Resource": "arn:aws:ecs:us-east-1:000000000000:service/prod/*"}
`},
		{name: "denied explicitly, by access key", opts: explainOptions{accessKey: aws.ToString(key.AccessKey.AccessKeyId), action: "ecs:UpdateService", resources: []string{"arn:aws:ecs:us-east-1:000000000000:service/prod/api"}},
			want: `ecs:UpdateService on arn:aws:ecs:us-east-1:000000000000:service/prod/api for ` + ciARN + `: DENIED, explicitly
  denied by the statement at line 6 of the user's inline policy deploy
      {"Sid": "NoApi", "Effect": "Deny", "Action": "ecs:UpdateService", "Resource": "arn:aws:ecs:us-east-1:000000000000:service/prod/api"}
`},
		{name: "denied implicitly, a key missing", opts: explainOptions{user: "ci", action: "ecs:StopTask"},
			want: `ecs:StopTask on * for ` + ciARN + `: DENIED: no statement allows it
  the policies test condition keys this question did not give: aws:SourceIp (give them with --context KEY=VALUE)
`},
		{name: "context given", opts: explainOptions{user: "ci", action: "ecs:StopTask", context: []string{"aws:SourceIp=192.0.2.7"}},
			want: `ecs:StopTask on * for ` + ciARN + `: ALLOWED
  allowed by the statement at line 7 of the user's inline policy deploy
      {"Sid": "Office", "Effect": "Allow", "Action": "ecs:StopTask", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}
`},
		{name: "AWS managed policy", opts: explainOptions{user: "ci", action: "ecr:BatchGetImage", resources: []string{"arn:aws:ecr:us-east-1:000000000000:repository/web"}},
			want: "ecr:BatchGetImage on arn:aws:ecr:us-east-1:000000000000:repository/web for " + ciARN + ": ALLOWED\n  allowed by the statement at lines 4-21 of the AWS managed policy AmazonEC2ContainerRegistryReadOnly\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := runExplain(context.Background(), tt.opts, client, &out); err != nil {
				t.Fatal(err)
			}
			got := out.String()
			if tt.name == "AWS managed policy" {
				// The statement's text follows; its first line is enough here.
				var found bool
				if got, _, found = strings.Cut(got, "      {"); !found {
					t.Errorf("no statement text in:\n%s", out.String())
				}
			}
			if got != tt.want {
				t.Errorf("output:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
	for _, bad := range []explainOptions{{action: "ecs:StopTask"}, {user: "ci", role: "r", action: "ecs:StopTask"}, {user: "nobody", action: "ecs:StopTask"}, {user: "ci", action: "ecs:StopTask", context: []string{"novalue"}}} {
		if err := runExplain(context.Background(), bad, client, &bytes.Buffer{}); err == nil {
			t.Errorf("runExplain(%+v) succeeded", bad)
		}
	}
}
