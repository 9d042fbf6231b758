package iampolicy

import (
	"net/netip"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/benchtest"
)

// twentyStatements is a policy of the size and mix a team's deploy key carries: read access,
// scoped writes on a few services and repositories, PassRole with its condition, tag and
// region conditions, and denies that every request must be checked against.
const twentyStatements = `{"Version":"2012-10-17","Statement":[
 {"Sid":"Read","Effect":"Allow","Action":["ecs:Describe*","ecs:List*","elasticloadbalancing:Describe*","codedeploy:Get*","codedeploy:List*","codedeploy:BatchGet*"],"Resource":"*"},
 {"Sid":"EcrToken","Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"},
 {"Sid":"EcrPush","Effect":"Allow","Action":["ecr:BatchCheckLayerAvailability","ecr:InitiateLayerUpload","ecr:UploadLayerPart","ecr:CompleteLayerUpload","ecr:PutImage"],"Resource":"arn:aws:ecr:us-east-1:123456789012:repository/web"},
 {"Sid":"EcrPull","Effect":"Allow","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"arn:aws:ecr:*:123456789012:repository/*"},
 {"Sid":"TaskDef","Effect":"Allow","Action":["ecs:RegisterTaskDefinition","ecs:DeregisterTaskDefinition"],"Resource":"*"},
 {"Sid":"PassRole","Effect":"Allow","Action":"iam:PassRole","Resource":["arn:aws:iam::123456789012:role/web-task","arn:aws:iam::123456789012:role/web-exec"],"Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}},
 {"Sid":"Deploy","Effect":"Allow","Action":["codedeploy:CreateDeployment","codedeploy:GetDeploymentConfig","codedeploy:RegisterApplicationRevision"],"Resource":["arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:web/web-dg","arn:aws:codedeploy:us-east-1:123456789012:application:web","arn:aws:codedeploy:us-east-1:123456789012:deploymentconfig:*"]},
 {"Sid":"Logs","Effect":"Allow","Action":["logs:GetLogEvents","logs:FilterLogEvents"],"Resource":"arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web:*"},
 {"Sid":"TeamServices","Effect":"Allow","Action":"ecs:UpdateService","Resource":"arn:aws:ecs:us-east-1:123456789012:service/staging/*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}},
 {"Sid":"Scaling","Effect":"Allow","Action":["application-autoscaling:Describe*","application-autoscaling:RegisterScalableTarget"],"Resource":"*"},
 {"Sid":"Tagging","Effect":"Allow","Action":["ecs:TagResource","ecs:UntagResource"],"Resource":"arn:aws:ecs:us-east-1:123456789012:service/prod/web","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]}}},
 {"Sid":"Lb","Effect":"Allow","Action":["elasticloadbalancing:ModifyListener","elasticloadbalancing:ModifyRule"],"Resource":"arn:aws:elasticloadbalancing:us-east-1:123456789012:listener*/app/web/*"},
 {"Sid":"Office","Effect":"Allow","Action":"ecs:StopTask","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","198.51.100.0/24"]}}},
 {"Sid":"BusinessHours","Effect":"Allow","Action":"ecs:RunTask","Resource":"arn:aws:ecs:us-east-1:123456789012:task-definition/web:*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}},
 {"Sid":"Service","Effect":"Allow","Action":["ecs:UpdateService","ecs:DescribeServices"],"Resource":"arn:aws:ecs:us-east-1:123456789012:service/prod/web"},
 {"Sid":"DenyRegions","Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}},
 {"Sid":"DenyIam","Effect":"Deny","Action":["iam:Create*","iam:Delete*","iam:Put*","iam:Attach*"],"Resource":"*"},
 {"Sid":"DenyInsecure","Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
 {"Sid":"DenyOtherClusters","Effect":"Deny","Action":["ecs:DeleteCluster","ecs:DeleteService"],"NotResource":"arn:aws:ecs:us-east-1:123456789012:*/staging*"},
 {"Sid":"DenyProdRepoDelete","Effect":"Deny","Action":["ecr:DeleteRepository","ecr:BatchDeleteImage"],"Resource":"arn:aws:ecr:*:*:repository/prod-*"}
]}`

// BenchmarkEvaluate20Statements times one authorization decision, ecs:UpdateService allowed by
// the 15th statement of a 20-statement policy and checked against all of its denies: ns/op
// is the mean, p50-ns/eval the median over batches of 100 evaluations.
func BenchmarkEvaluate20Statements(b *testing.B) {
	policies := mustParse(b, twentyStatements)
	if n := len(policies[0].Statements); n != 20 {
		b.Fatalf("%d statements, want 20", n)
	}
	r := &Request{
		Action: "ecs:UpdateService", Resource: "arn:aws:ecs:us-east-1:123456789012:service/prod/web",
		PrincipalARN: "arn:aws:iam::123456789012:user/ci", PrincipalAccount: "123456789012", Username: "ci", UserID: "AIDACI",
		PrincipalTags: map[string]string{"team": "web"}, ResourceTags: map[string]string{"team": "web"},
		Region: "us-east-1", SourceIP: netip.MustParseAddr("203.0.113.9"), SecureTransport: true, CurrentTime: time.Now(),
	}
	if got := Evaluate(r, policies...); got != (Result{Allow, 0, 14}) {
		b.Fatalf("Evaluate = %+v, want the Service statement to allow", got)
	}
	b.ReportAllocs()
	benchtest.PerCall(b, 100, "p50-ns/eval", func() { Evaluate(r, policies...) })
}
