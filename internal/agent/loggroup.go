package agent

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/logs"
)

// The awslogs options that make the agent create a container's log group.
const (
	optionLogGroup    = "awslogs-group"
	optionCreateGroup = "awslogs-create-group"
)

// logGroupFailed creates the log group of a container whose awslogs configuration asks for it
// (awslogs-create-group "true"), as ECS's agent does before it starts the container, and
// reports whether that failed; then the container did not start, as on ECS, and c says why.
func (a *Agent) logGroupFailed(ctx context.Context, t *ecs.Task, c *ecs.Container, def ecs.ContainerDefinition, now time.Time) bool {
	err := a.createLogGroup(ctx, def.LogConfiguration, now)
	if err == nil {
		return false
	}
	c.LastStatus, c.Reason = ecs.ContainerStopped, "CannotStartContainerError: ResourceInitializationError: failed to create CloudWatch log group: "+errdefs.Message(err)
	if def.Essential {
		*t = t.RequestStop(ecs.StopTaskFailedToStart, c.Reason, now)
	}
	return true
}

func (a *Agent) createLogGroup(ctx context.Context, lc ecs.LogConfiguration, now time.Time) error {
	if lc.LogDriver != ecs.LogDriverAwslogs {
		return nil
	}
	if create, _ := strconv.ParseBool(lc.Options[optionCreateGroup]); !create {
		return nil
	}
	g, err := logs.NewGroup(lc.Options[optionLogGroup], "", nil, now)
	if err != nil {
		return err
	}
	if _, err := a.st.LogGroups.Create(ctx, g.Name, g); err != nil && !errors.Is(err, errdefs.ErrAlreadyExists) {
		return err
	}
	return nil
}
