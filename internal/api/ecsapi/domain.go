package ecsapi

import (
	"context"
	"encoding/json"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
)

// The exported methods of API are its operations over domain values, for callers in the same
// process (the web console): they run the operation's own code, so both answer alike, and no
// wire shape leaves this package.

// DecodeTaskDefinition reads a task-definition.json document (RegisterTaskDefinition's input,
// as --cli-input-json takes it) into a task definition to register.
func (a *API) DecodeTaskDefinition(doc []byte) (ecs.TaskDefinition, error) {
	var in registerTaskDefinitionInput
	if err := awsproto.DecodeJSON(doc, &in); err != nil {
		return ecs.TaskDefinition{}, err
	}
	return taskDefinitionFromRegisterRequest(&in), nil
}

// EncodeTaskDefinition writes td as DescribeTaskDefinition shows it, indented.
func (a *API) EncodeTaskDefinition(td ecs.TaskDefinition) ([]byte, error) {
	return json.MarshalIndent(taskDefinitionToWire(td), "", "  ")
}

// UpdateService is UpdateService with a new task definition (when taskDefinition is not "")
// and desired count (when desiredCount >= 0).
func (a *API) UpdateService(ctx context.Context, cluster, service, taskDefinition string, desiredCount int) error {
	in := &updateServiceInput{Cluster: &cluster, Service: &service}
	if taskDefinition != "" {
		in.TaskDefinition = &taskDefinition
	}
	if desiredCount >= 0 {
		in.DesiredCount = ptr(int32(min(desiredCount, 1<<30)))
	}
	_, err := a.updateService(ctx, in)
	return err
}

// StopTask is StopTask.
func (a *API) StopTask(ctx context.Context, cluster, task, reason string) error {
	_, err := a.stopTask(ctx, &stopTaskInput{Cluster: &cluster, Task: &task, Reason: &reason})
	return err
}
