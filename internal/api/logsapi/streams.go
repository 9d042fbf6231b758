package logsapi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// SyntheticGroupPrefix starts the name of the log group of a cluster's containers that do not
// use the awslogs driver: "/fargo/<cluster>".
const SyntheticGroupPrefix = "/fargo/"

// The awslogs options that name a container's group and stream.
const (
	optionGroup        = "awslogs-group"
	optionStreamPrefix = "awslogs-stream-prefix"
)

// Location returns the log group and stream of the container named container of task taskID in
// cluster, whose log configuration is lc; see the package documentation.
func Location(cluster, taskID, container string, lc ecs.LogConfiguration) (group, stream string) {
	if lc.LogDriver == ecs.LogDriverAwslogs && lc.Options[optionGroup] != "" {
		if p := lc.Options[optionStreamPrefix]; p != "" {
			return lc.Options[optionGroup], p + "/" + container + "/" + taskID
		}
		return lc.Options[optionGroup], ContainerID(taskID, container)
	}
	return SyntheticGroupPrefix + cluster, container + "/" + taskID
}

// ContainerID is the id the runtime driver knows a task's container by.
func ContainerID(taskID, container string) string { return taskID + "-" + container }

// logStream is one container's output.
type logStream struct {
	name        string
	containerID string
	created     time.Time
}

// logGroup is a log group and its streams, sorted by name.
type logGroup struct {
	name    string
	created time.Time
	streams []logStream
}

// catalog returns every log group the store implies, sorted by name.
func (a *API) catalog(ctx context.Context) ([]*logGroup, error) {
	groups := map[string]*logGroup{}
	add := func(name string, created time.Time) *logGroup {
		if created.IsZero() {
			created = a.now() // CloudWatch always has a creation time
		}
		g := groups[name]
		if g == nil {
			g = &logGroup{name: name, created: created}
			groups[name] = g
		}
		if created.Before(g.created) {
			g.created = created
		}
		return g
	}
	clusters, _, err := a.store.Clusters.List(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("list clusters: %w", err)
	}
	for _, c := range clusters {
		if c.Value.Status == ecs.ClusterActive {
			add(SyntheticGroupPrefix+c.Value.Name, c.Value.CreatedAt)
		}
	}
	tasks, _, err := a.store.Tasks.List(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("list tasks: %w", err)
	}
	defs := taskDefinitions{store: a.store, byARN: map[string]*ecs.TaskDefinition{}}
	for _, it := range tasks {
		t := it.Value
		td, err := defs.get(ctx, t.TaskDefinitionARN)
		if err != nil {
			return nil, err
		}
		for _, c := range t.Containers {
			group, name := Location(t.ClusterName, t.ID, c.Name, logConfiguration(td, c.Name))
			g := add(group, t.CreatedAt)
			created := t.CreatedAt
			if created.IsZero() {
				created = g.created
			}
			g.streams = append(g.streams, logStream{name: name, containerID: ContainerID(t.ID, c.Name), created: created})
		}
	}
	out := make([]*logGroup, 0, len(groups))
	for _, g := range groups {
		slices.SortFunc(g.streams, func(x, y logStream) int { return strings.Compare(x.name, y.name) })
		out = append(out, g)
	}
	slices.SortFunc(out, func(x, y *logGroup) int { return strings.Compare(x.name, y.name) })
	return out, nil
}

// group returns the group named name, or errGroupNotFound.
func (a *API) group(ctx context.Context, name string) (*logGroup, error) {
	groups, err := a.catalog(ctx)
	if err != nil {
		return nil, err
	}
	i, ok := slices.BinarySearchFunc(groups, name, func(g *logGroup, n string) int { return strings.Compare(g.name, n) })
	if !ok {
		return nil, errGroupNotFound
	}
	return groups[i], nil
}

// stream returns the stream named name of g, or errStreamNotFound.
func (g *logGroup) stream(name string) (logStream, error) {
	i, ok := slices.BinarySearchFunc(g.streams, name, func(s logStream, n string) int { return strings.Compare(s.name, n) })
	if !ok {
		return logStream{}, errStreamNotFound
	}
	return g.streams[i], nil
}

// taskDefinitions reads the task definitions of tasks once per request.
type taskDefinitions struct {
	store *store.Store
	byARN map[string]*ecs.TaskDefinition
}

// get returns the task definition of arn, or nil if it is gone.
func (d taskDefinitions) get(ctx context.Context, arn string) (*ecs.TaskDefinition, error) {
	if td, ok := d.byARN[arn]; ok {
		return td, nil
	}
	ref, err := ecs.ParseTaskDefinitionRef(arn)
	if err != nil || ref.Revision == 0 {
		d.byARN[arn] = nil
		return nil, nil
	}
	it, err := d.store.TaskDefinitions.Get(ctx, store.TaskDefinitionID(ref.Family, ref.Revision))
	if errors.Is(err, errdefs.ErrNotFound) {
		d.byARN[arn] = nil
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read task definition %s: %w", arn, err)
	}
	d.byARN[arn] = &it.Value
	return &it.Value, nil
}

func logConfiguration(td *ecs.TaskDefinition, container string) ecs.LogConfiguration {
	if td == nil {
		return ecs.LogConfiguration{}
	}
	for _, c := range td.ContainerDefinitions {
		if c.Name == container {
			return c.LogConfiguration
		}
	}
	return ecs.LogConfiguration{}
}

// groupARN returns the ARN of a log group in the caller's region and account, as CloudWatch
// writes it in logGroupArn.
func groupARN(ctx context.Context, group string) string {
	c, _ := awsproto.CallerFrom(ctx)
	return "arn:aws:logs:" + c.Region + ":" + c.AccountID + ":log-group:" + group
}

// groupName resolves the logGroupName or logGroupIdentifier (a name or an ARN) of a request.
func groupName(name, identifier *string) (string, error) {
	switch {
	case name != nil && identifier != nil:
		return "", errdefs.InvalidArgument("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
	case name != nil && *name != "":
		return *name, nil
	case identifier != nil && *identifier != "":
		id := *identifier
		if strings.HasPrefix(id, "arn:") {
			_, rest, ok := strings.Cut(id, ":log-group:")
			if !ok || rest == "" {
				return "", errdefs.InvalidArgument("The logGroupIdentifier %s is not a log group name or ARN.", id)
			}
			id = strings.TrimSuffix(rest, ":*")
		}
		return id, nil
	default:
		return "", errdefs.InvalidArgument("Either logGroupName or logGroupIdentifier must be specified.")
	}
}

func millis(t time.Time) int64 { return t.UnixMilli() }
