package ecs

import (
	"errors"
	"testing"

	"github.com/fargohq/fargo/internal/errdefs"
)

func TestServiceRoleARN(t *testing.T) {
	t.Parallel()
	const linked = "arn:aws:iam::000000000000:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"
	lb := LoadBalancer{TargetGroupARN: testTargetGroup, ContainerName: "batch", ContainerPort: 80}
	tests := []struct {
		name    string
		role    string
		s       Service
		td      TaskDefinition
		want    string
		wantErr error
	}{
		{"awsvpc uses the linked role", "", Service{}, webTaskDefinition(), linked, nil},
		{"external controller", "", Service{DeploymentController: ControllerExternal}, TaskDefinition{}, linked, nil},
		{"bridge without a load balancer has none", "", Service{}, bridgeTaskDefinition(), "", nil},
		{"bridge behind a load balancer", "", Service{LoadBalancers: []LoadBalancer{lb}}, bridgeTaskDefinition(), linked, nil},
		{"a role name", "ecsServiceRole", Service{LoadBalancers: []LoadBalancer{lb}}, bridgeTaskDefinition(), "arn:aws:iam::000000000000:role/ecsServiceRole", nil},
		{"a role with a path", "/foo/bar", Service{LoadBalancers: []LoadBalancer{lb}}, bridgeTaskDefinition(), "arn:aws:iam::000000000000:role/foo/bar", nil},
		{"a role ARN", "arn:aws:iam::000000000000:role/x", Service{LoadBalancers: []LoadBalancer{lb}}, bridgeTaskDefinition(), "arn:aws:iam::000000000000:role/x", nil},
		{"a role for awsvpc", "ecsServiceRole", Service{LoadBalancers: []LoadBalancer{lb}}, webTaskDefinition(), "", ErrRoleNeedsServiceLinkedRole},
		{"a role without a load balancer", "ecsServiceRole", Service{}, bridgeTaskDefinition(), "", errdefs.ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ServiceRoleARN(testScope, tt.role, tt.s, tt.td)
			if got != tt.want || (tt.wantErr == nil) != (err == nil) || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("ServiceRoleARN = %q, %v; want %q, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}
