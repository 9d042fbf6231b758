package ecs

import (
	"errors"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

var testScope = arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}

func TestTaskDefinitionARN(t *testing.T) {
	t.Parallel()
	got := TaskDefinitionARN(testScope, "web", 3)
	if want := "arn:aws:ecs:us-east-1:000000000000:task-definition/web:3"; got != want {
		t.Errorf("TaskDefinitionARN = %q, want %q", got, want)
	}
}

func TestParseTaskDefinitionRef(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    TaskDefinitionRef
		wantErr string
	}{
		{in: "web", want: TaskDefinitionRef{Family: "web"}},
		{in: "web:3", want: TaskDefinitionRef{Family: "web", Revision: 3}},
		{in: "arn:aws:ecs:us-east-1:000000000000:task-definition/web:12", want: TaskDefinitionRef{Family: "web", Revision: 12}},
		{in: "arn:aws:ecs:us-east-1:000000000000:task-definition/web", want: TaskDefinitionRef{Family: "web"}},
		{in: "", wantErr: "Task definition can not be blank."},
		{in: ":3", wantErr: "Task definition can not be blank."},
		{in: "web:latest", wantErr: "Invalid revision number. Number: latest"},
		{in: "web:0", wantErr: "Invalid revision number. Number: 0"},
		{in: "web:", wantErr: "Invalid revision number. Number: "},
		{in: "arn:aws:ecs:us-east-1:000000000000:cluster/web", wantErr: "Invalid task definition ARN: arn:aws:ecs:us-east-1:000000000000:cluster/web"},
		{in: "arn:aws:ecr:us-east-1:000000000000:task-definition/web:1", wantErr: "Invalid task definition ARN: arn:aws:ecr:us-east-1:000000000000:task-definition/web:1"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseTaskDefinitionRef(tc.in)
			if tc.wantErr != "" {
				if err == nil || errdefs.Message(err) != tc.wantErr || !errors.Is(err, errdefs.ErrInvalidArgument) {
					t.Fatalf("ParseTaskDefinitionRef(%q) = %v, %v; want invalid argument %q", tc.in, got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseTaskDefinitionRef(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
			if tc.in[0] != 'a' && got.String() != tc.in {
				t.Errorf("String() = %q, want %q", got.String(), tc.in)
			}
		})
	}
}

func TestTaskDefinitionLifecycle(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	td := fargateTD().Registered(testScope, 7, t0, "arn:aws:iam::000000000000:user/dev")
	if td.ARN != "arn:aws:ecs:us-east-1:000000000000:task-definition/web:7" || td.Revision != 7 ||
		td.Status != TaskDefinitionStatusActive || !td.RegisteredAt.Equal(t0) || td.RegisteredBy != "arn:aws:iam::000000000000:user/dev" {
		t.Fatalf("Registered = %+v", td)
	}
	if _, err := td.DeleteRequested(t0); !errors.Is(err, errdefs.ErrFailedPrecondition) {
		t.Errorf("DeleteRequested on ACTIVE: err = %v, want ErrFailedPrecondition", err)
	}
	t1, t2 := t0.Add(time.Hour), t0.Add(2*time.Hour)
	inactive := td.Deregistered(t1)
	if inactive.Status != TaskDefinitionStatusInactive || !inactive.DeregisteredAt.Equal(t1) {
		t.Errorf("Deregistered = %v at %v", inactive.Status, inactive.DeregisteredAt)
	}
	if again := inactive.Deregistered(t2); !again.DeregisteredAt.Equal(t1) {
		t.Errorf("second Deregistered moved DeregisteredAt to %v", again.DeregisteredAt)
	}
	deleting, err := inactive.DeleteRequested(t2)
	if err != nil || deleting.Status != TaskDefinitionStatusDeleteInProgress || !deleting.DeleteRequestedAt.Equal(t2) {
		t.Errorf("DeleteRequested = %v at %v, %v", deleting.Status, deleting.DeleteRequestedAt, err)
	}
	if again, err := deleting.DeleteRequested(t2.Add(time.Hour)); err != nil || !again.DeleteRequestedAt.Equal(t2) {
		t.Errorf("second DeleteRequested = %v, %v", again.DeleteRequestedAt, err)
	}
}
