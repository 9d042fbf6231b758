package codedeploy_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/codedeploy"
)

const taskDef = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1"

func TestParseAppSpec(t *testing.T) {
	t.Parallel()
	plain := codedeploy.AppSpec{TaskDefinition: taskDef, ContainerName: "web", ContainerPort: 8080}
	tests := []struct {
		name    string
		content string
		want    codedeploy.AppSpec
	}{
		{"yaml with version 0.0", `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: "` + taskDef + `"
        LoadBalancerInfo:
          ContainerName: "web"
          ContainerPort: 8080
`, plain},
		{"json with version 0", `{"version":0,"Resources":[{"TargetService":{"Type":"AWS::ECS::Service","Properties":{"TaskDefinition":"` + taskDef + `","LoadBalancerInfo":{"ContainerName":"web","ContainerPort":8080}}}}]}`, plain},
		{"json with version \"0.0\"", `{"version":"0.0","Resources":[{"TargetService":{"Type":"AWS::ECS::Service","Properties":{"TaskDefinition":"` + taskDef + `","LoadBalancerInfo":{"ContainerName":"web","ContainerPort":"8080"}}}}]}`, plain},
		{"the deploy action's compact JSON with a hook", `{"version":0,"Resources":[{"TargetService":{"Type":"AWS::ECS::Service","Properties":{"TaskDefinition":"` + taskDef + `","LoadBalancerInfo":{"ContainerName":"web","ContainerPort":8080}}}}],"Hooks":[{"AfterAllowTestTraffic":"arn:aws:lambda:us-east-1:000000000000:function:smoke"}]}`,
			codedeploy.AppSpec{TaskDefinition: taskDef, ContainerName: "web", ContainerPort: 8080, Hooks: map[string]string{"AfterAllowTestTraffic": "arn:aws:lambda:us-east-1:000000000000:function:smoke"}}},
		{"keys in any case, network and platform", `VERSION: 0.0
resources:
  - svc:
      type: AWS::ECS::Service
      properties:
        taskdefinition: ` + taskDef + `
        platformVersion: LATEST
        loadbalancerinfo: {containername: web, containerport: 8080}
        NetworkConfiguration:
          awsvpcconfiguration:
            subnets: [s-1, s-2]
            securityGroups: [sg-1]
            assignPublicIp: DISABLED
hooks:
  - beforeinstall: pre
  - AfterAllowTraffic: post
`, codedeploy.AppSpec{TaskDefinition: taskDef, ContainerName: "web", ContainerPort: 8080, PlatformVersion: "LATEST",
			Network: &codedeploy.AwsvpcConfiguration{Subnets: []string{"s-1", "s-2"}, SecurityGroups: []string{"sg-1"}, AssignPublicIP: "DISABLED"},
			Hooks:   map[string]string{"BeforeInstall": "pre", "AfterAllowTraffic": "post"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := codedeploy.ParseAppSpec(tt.content)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseAppSpecRejects(t *testing.T) {
	t.Parallel()
	props := `"Properties":{"TaskDefinition":"td","LoadBalancerInfo":{"ContainerName":"web","ContainerPort":8080}}`
	tests := map[string]string{
		"not yaml":             `version: [0`,
		"a list":               `[1, 2]`,
		"empty":                ``,
		"version 1":            `{"version":1,"Resources":[{"s":{"Type":"AWS::ECS::Service",` + props + `}}]}`,
		"no version":           `{"Resources":[{"s":{"Type":"AWS::ECS::Service",` + props + `}}]}`,
		"no resources":         `{"version":0}`,
		"two resources":        `{"version":0,"Resources":[{"a":{"Type":"AWS::ECS::Service",` + props + `}},{"b":{"Type":"AWS::ECS::Service",` + props + `}}]}`,
		"lambda resource":      `{"version":0,"Resources":[{"s":{"Type":"AWS::Lambda::Function",` + props + `}}]}`,
		"no task definition":   `{"version":0,"Resources":[{"s":{"Type":"AWS::ECS::Service","Properties":{"LoadBalancerInfo":{"ContainerName":"web","ContainerPort":8080}}}}]}`,
		"no container name":    `{"version":0,"Resources":[{"s":{"Type":"AWS::ECS::Service","Properties":{"TaskDefinition":"td","LoadBalancerInfo":{"ContainerPort":8080}}}}]}`,
		"port out of range":    `{"version":0,"Resources":[{"s":{"Type":"AWS::ECS::Service","Properties":{"TaskDefinition":"td","LoadBalancerInfo":{"ContainerName":"w","ContainerPort":70000}}}}]}`,
		"fractional port":      `{"version":0,"Resources":[{"s":{"Type":"AWS::ECS::Service","Properties":{"TaskDefinition":"td","LoadBalancerInfo":{"ContainerName":"w","ContainerPort":80.5}}}}]}`,
		"unknown hook":         `{"version":0,"Resources":[{"s":{"Type":"AWS::ECS::Service",` + props + `}}],"Hooks":[{"Install":"fn"}]}`,
		"hooks not a list":     `{"version":0,"Resources":[{"s":{"Type":"AWS::ECS::Service",` + props + `}}],"Hooks":{"BeforeInstall":"fn"}}`,
		"bad assign public ip": `{"version":0,"Resources":[{"s":{"Type":"AWS::ECS::Service","Properties":{"TaskDefinition":"td","LoadBalancerInfo":{"ContainerName":"w","ContainerPort":80},"NetworkConfiguration":{"AwsvpcConfiguration":{"AssignPublicIp":"YES"}}}}}]}`,
		"subnets not strings":  `{"version":0,"Resources":[{"s":{"Type":"AWS::ECS::Service","Properties":{"TaskDefinition":"td","LoadBalancerInfo":{"ContainerName":"w","ContainerPort":80},"NetworkConfiguration":{"AwsvpcConfiguration":{"Subnets":[1]}}}}}]}`,
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := codedeploy.ParseAppSpec(content); !errors.Is(err, codedeploy.ErrInvalidRevision) {
				t.Fatalf("err = %v, want ErrInvalidRevision", err)
			}
		})
	}
}

func TestCheckRevision(t *testing.T) {
	t.Parallel()
	content := `{"version":0,"Resources":[{"s":{"Type":"AWS::ECS::Service","Properties":{"TaskDefinition":"td","LoadBalancerInfo":{"ContainerName":"w","ContainerPort":80}}}}]}`
	sum := sha256.Sum256([]byte(content))
	good := hex.EncodeToString(sum[:])
	tests := []struct {
		name string
		rev  codedeploy.Revision
		ok   bool
	}{
		{"without sha256", codedeploy.Revision{Type: "AppSpecContent", Content: content}, true},
		{"with sha256", codedeploy.Revision{Type: "AppSpecContent", Content: content, SHA256: good}, true},
		{"String revision", codedeploy.Revision{Type: "String", Content: content}, true},
		{"sha256 mismatch", codedeploy.Revision{Type: "AppSpecContent", Content: content, SHA256: good[1:] + "0"}, false},
		{"S3", codedeploy.Revision{Type: "S3"}, false},
		{"GitHub", codedeploy.Revision{Type: "GitHub"}, false},
		{"no content", codedeploy.Revision{Type: "AppSpecContent"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := codedeploy.CheckRevision(tt.rev)
			if tt.ok != (err == nil) || err != nil && !errors.Is(err, codedeploy.ErrInvalidRevision) {
				t.Fatalf("err = %v, ok %v", err, tt.ok)
			}
		})
	}
}

// FuzzParseAppSpec feeds arbitrary content to the AppSpec parser: it must never panic, and
// every failure must be ErrInvalidRevision.
func FuzzParseAppSpec(f *testing.F) {
	f.Add(`{"version":0,"Resources":[{"s":{"Type":"AWS::ECS::Service","Properties":{"TaskDefinition":"td","LoadBalancerInfo":{"ContainerName":"w","ContainerPort":80}}}}],"Hooks":[{"BeforeInstall":"f"}]}`)
	f.Add("version: 0.0\nResources:\n  - s:\n      Type: AWS::ECS::Service\n      Properties: {TaskDefinition: td, LoadBalancerInfo: {ContainerName: w, ContainerPort: 80}}\n")
	f.Add("a: &x [*x]")
	f.Fuzz(func(t *testing.T, content string) {
		if _, err := codedeploy.ParseAppSpec(content); err != nil && !errors.Is(err, codedeploy.ErrInvalidRevision) {
			t.Fatalf("err = %v", err)
		}
	})
}
