package ecs

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/errdefs"
)

func TestValidatePlacement(t *testing.T) {
	t.Parallel()
	memberOf := func(expr string) PlacementConstraint {
		return PlacementConstraint{Type: PlacementMemberOf, Expression: expr}
	}
	distinct := PlacementConstraint{Type: PlacementDistinctInstance}
	tests := []struct {
		name        string
		launchType  string
		constraints []PlacementConstraint
		strategies  []PlacementStrategy
		want        string // the error's message, or its start; "" for none
	}{
		{name: "nothing", launchType: "FARGATE"},
		{name: "all kinds", launchType: "EC2",
			constraints: []PlacementConstraint{distinct, memberOf("attribute:ecs.availability-zone in [a, b]")},
			strategies:  []PlacementStrategy{{Type: PlacementSpread, Field: "attribute:ecs.availability-zone"}, {Type: PlacementSpread, Field: "instanceId"}, {Type: PlacementSpread, Field: "host"}, {Type: PlacementBinpack, Field: "memory"}, {Type: PlacementRandom}}},
		{name: "strategies on Fargate", launchType: "FARGATE", strategies: []PlacementStrategy{{Type: PlacementRandom}},
			want: "Placement strategies are not supported with FARGATE launch type."},
		{name: "constraints on Fargate", launchType: "FARGATE", constraints: []PlacementConstraint{distinct},
			want: "Placement constraints are not supported with FARGATE launch type."},
		{name: "distinctInstance with expression", launchType: "EC2", constraints: []PlacementConstraint{{Type: PlacementDistinctInstance, Expression: "x"}},
			want: "distinctInstance expression should not be specified."},
		{name: "memberOf without expression", launchType: "EC2", constraints: []PlacementConstraint{memberOf("")},
			want: "A memberOf placement constraint requires an expression."},
		{name: "bad expression", launchType: "EC2", constraints: []PlacementConstraint{memberOf("attribute:zone in us-east-1a")},
			want: "Invalid expression 'attribute:zone in us-east-1a' in placement constraint: expected a list such as [a, b] after the operator of attribute:zone."},
		{name: "long expression", launchType: "EC2", constraints: []PlacementConstraint{memberOf("attribute:a == " + strings.Repeat("b", 2000))},
			want: "The placement constraint expression must be at most 2000 characters."},
		{name: "bad constraint type", launchType: "EC2", constraints: []PlacementConstraint{{Type: "sameInstance"}},
			want: "1 validation error detected: Value 'sameInstance' at 'placementConstraints.type'"},
		{name: "too many constraints", launchType: "EC2", constraints: make([]PlacementConstraint, 11),
			want: "At most 10 placement constraints can be specified."},
		{name: "too many strategies", launchType: "EC2", strategies: make([]PlacementStrategy, 6),
			want: "At most 5 placement strategies can be specified."},
		{name: "binpack field", launchType: "EC2", strategies: []PlacementStrategy{{Type: PlacementBinpack, Field: "instanceId"}},
			want: "Invalid field 'instanceId' for the binpack placement strategy: use cpu or memory."},
		{name: "spread field", launchType: "EC2", strategies: []PlacementStrategy{{Type: PlacementSpread, Field: "attribute:"}},
			want: "Invalid field 'attribute:' for the spread placement strategy"},
		{name: "strategy type", launchType: "EC2", strategies: []PlacementStrategy{{Type: "pack"}},
			want: "1 validation error detected: Value 'pack' at 'placementStrategy.type'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := ValidatePlacement(tt.launchType, tt.constraints, tt.strategies)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("ValidatePlacement = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.HasPrefix(errdefs.Message(err), tt.want)):
				t.Fatalf("ValidatePlacement = %v, want %q", err, tt.want)
			case err != nil && !errors.Is(err, errdefs.ErrInvalidArgument):
				t.Fatalf("ValidatePlacement = %v, want an invalid argument", err)
			}
		})
	}
}

func TestPlacementPicksEC2WithoutLaunchType(t *testing.T) {
	t.Parallel()
	td := webTaskDefinition() // runs on both
	s := baseService(td)
	s.PlacementStrategy = []PlacementStrategy{{Type: PlacementSpread, Field: FieldInstanceID}}
	got, err := ValidateService(s, td)
	if err != nil || got.LaunchType != "EC2" {
		t.Fatalf("ValidateService = %q, %v; want launch type EC2", got.LaunchType, err)
	}
	s.LaunchType = "FARGATE"
	if _, err := ValidateService(s, td); err == nil {
		t.Fatal("ValidateService took a strategy for FARGATE")
	}
	r, err := ValidateRunRequest(RunRequest{TaskDefinition: td, Count: 1, PlacementConstraints: []PlacementConstraint{{Type: PlacementDistinctInstance}}})
	if err != nil || r.LaunchType != "EC2" {
		t.Fatalf("ValidateRunRequest = %q, %v; want launch type EC2", r.LaunchType, err)
	}
	tasks := NewRunTasks(r, testScope, []string{"t1"}, r.TaskDefinition.RegisteredAt)
	if diff := cmp.Diff([]PlacementConstraint{{Type: PlacementDistinctInstance}}, tasks[0].PlacementConstraints); diff != "" {
		t.Fatalf("task constraints (-want +got):\n%s", diff)
	}
}

func TestTaskPlacementConstraints(t *testing.T) {
	t.Parallel()
	td := TaskDefinition{PlacementConstraints: []TaskDefinitionPlacementConstraint{{Type: PlacementConstraintMemberOf, Expression: "attribute:a exists"}}}
	got := TaskPlacementConstraints(td, []PlacementConstraint{{Type: PlacementDistinctInstance}})
	want := []PlacementConstraint{{Type: PlacementMemberOf, Expression: "attribute:a exists"}, {Type: PlacementDistinctInstance}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("TaskPlacementConstraints (-want +got):\n%s", diff)
	}
}

func TestStaticHostPorts(t *testing.T) {
	t.Parallel()
	td := TaskDefinition{NetworkMode: NetworkModeBridge, ContainerDefinitions: []ContainerDefinition{
		{Name: "a", PortMappings: []PortMapping{{ContainerPort: 80, HostPort: 8080, Protocol: TransportProtocolTCP}, {ContainerPort: 81}}},
		{Name: "b", PortMappings: []PortMapping{{ContainerPort: 53, HostPort: 53, Protocol: TransportProtocolUDP}, {ContainerPort: 90, HostPort: 9090}}},
	}}
	want := []HostPort{{8080, TransportProtocolTCP}, {53, TransportProtocolUDP}, {9090, TransportProtocolTCP}}
	if diff := cmp.Diff(want, StaticHostPorts(td)); diff != "" {
		t.Fatalf("bridge (-want +got):\n%s", diff)
	}
	td.NetworkMode = NetworkModeAwsvpc
	if got := StaticHostPorts(td); got != nil {
		t.Fatalf("awsvpc reserves %v; fargo gives it dynamic ports", got)
	}
	task := NewTask(bridgeWithPorts(), TaskParams{ID: "t"})
	if diff := cmp.Diff([]HostPort{{8080, TransportProtocolTCP}}, task.HostPorts); diff != "" {
		t.Fatalf("NewTask's HostPorts (-want +got):\n%s", diff)
	}
}

func bridgeWithPorts() TaskDefinition {
	td := bridgeTaskDefinition()
	td.NetworkMode = NetworkModeBridge
	td.ContainerDefinitions[0].PortMappings = []PortMapping{{ContainerPort: 80, HostPort: 8080, Protocol: TransportProtocolTCP}}
	return td
}

func TestTaskResources(t *testing.T) {
	t.Parallel()
	containers := []Container{
		{Name: "app", CPU: "256", Memory: "512", MemoryReservation: "128"}, // the soft limit is the reservation
		{Name: "side", CPU: "0", Memory: "64"},
	}
	tests := []struct {
		name string
		task Task
		want Resources
	}{
		{"task size", Task{CPU: "1024", Memory: "2048", Containers: containers}, Resources{1024, 2048}},
		{"containers", Task{Containers: containers}, Resources{256, 128 + 64}},
		{"task cpu, container memory", Task{CPU: "512", Containers: containers}, Resources{512, 192}},
		{"overrides", Task{Containers: containers, Overrides: TaskOverride{ContainerOverrides: []ContainerOverride{
			{Name: "side", CPU: 128, MemoryReservation: 32},
		}}}, Resources{384, 128 + 32}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.task.Resources(); got != tt.want {
				t.Fatalf("Resources = %+v, want %+v", got, tt.want)
			}
		})
	}
}
