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
	"github.com/fargohq/fargo/internal/logs"
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

// logStream is a stream: a container's output, the events clients wrote to it, or both.
type logStream struct {
	name string
	// containerID is the container whose output the stream shows; "" if none.
	containerID string
	// stored is the stream's record when clients wrote to it or created it; nil if none.
	stored  *logs.Stream
	rev     int64 // of stored
	created time.Time
	// cutoff is the time (unix nanoseconds) before which the group's retention hides events.
	cutoff int64
}

// logGroup is a log group and its streams, sorted by name: the group that container output
// implies, the group clients created (stored), or both as one.
type logGroup struct {
	name    string
	created time.Time
	stored  *logs.Group
	rev     int64 // of stored
	streams []logStream
}

// retention returns the group's retention in days, 0 for none.
func (g *logGroup) retention() int {
	if g.stored == nil {
		return 0
	}
	return g.stored.RetentionDays
}

// class returns the group's class: the one it was created with, STANDARD for container output.
func (g *logGroup) class() string {
	if g.stored == nil || g.stored.Class == "" {
		return logs.ClassStandard
	}
	return g.stored.Class
}

// storedStreams returns the streams of g that have a record.
func (g *logGroup) storedStreams() []logStream {
	var out []logStream
	for _, s := range g.streams {
		if s.stored != nil {
			out = append(out, s)
		}
	}
	return out
}

// catalog returns every log group: those the tasks and clusters of the store imply and those
// clients created, one group per name, sorted by name.
func (a *API) catalog(ctx context.Context) ([]*logGroup, error) {
	c := catalogBuilder{groups: map[string]*logGroup{}, now: a.now()}
	if err := a.addDerived(ctx, &c); err != nil {
		return nil, err
	}
	if err := a.addStored(ctx, &c); err != nil {
		return nil, err
	}
	return c.sorted(), nil
}

// catalogBuilder collects groups and streams by name.
type catalogBuilder struct {
	groups map[string]*logGroup
	now    time.Time
}

func (c *catalogBuilder) group(name string, created time.Time) *logGroup {
	if created.IsZero() {
		created = c.now // CloudWatch always has a creation time
	}
	g := c.groups[name]
	if g == nil {
		g = &logGroup{name: name, created: created}
		c.groups[name] = g
	}
	if created.Before(g.created) {
		g.created = created
	}
	return g
}

// sorted returns the groups sorted by name, each with its streams merged by name and sorted.
func (c *catalogBuilder) sorted() []*logGroup {
	out := make([]*logGroup, 0, len(c.groups))
	for _, g := range c.groups {
		slices.SortStableFunc(g.streams, func(x, y logStream) int { return strings.Compare(x.name, y.name) })
		merged := g.streams[:0]
		for _, s := range g.streams {
			if n := len(merged); n > 0 && merged[n-1].name == s.name {
				merged[n-1] = mergeStreams(merged[n-1], s)
				continue
			}
			merged = append(merged, s)
		}
		g.streams = merged
		if cutoff := logs.Cutoff(g.retention(), c.now); !cutoff.IsZero() {
			for i := range g.streams {
				g.streams[i].cutoff = cutoff.UnixNano()
			}
		}
		out = append(out, g)
	}
	slices.SortFunc(out, func(x, y *logGroup) int { return strings.Compare(x.name, y.name) })
	return out
}

// mergeStreams makes one stream of a container's output and a stored stream of the same name.
func mergeStreams(x, y logStream) logStream {
	if x.containerID == "" {
		x.containerID = y.containerID
	}
	if x.stored == nil {
		x.stored, x.rev = y.stored, y.rev
	}
	if y.created.Before(x.created) {
		x.created = y.created
	}
	return x
}

// addDerived adds the groups and streams that clusters and tasks imply.
func (a *API) addDerived(ctx context.Context, c *catalogBuilder) error {
	clusters, _, err := a.store.Clusters.List(ctx, "")
	if err != nil {
		return fmt.Errorf("list clusters: %w", err)
	}
	for _, cl := range clusters {
		if cl.Value.Status == ecs.ClusterActive {
			c.group(SyntheticGroupPrefix+cl.Value.Name, cl.Value.CreatedAt)
		}
	}
	tasks, _, err := a.store.Tasks.List(ctx, "")
	if err != nil {
		return fmt.Errorf("list tasks: %w", err)
	}
	defs := taskDefinitions{store: a.store, byARN: map[string]*ecs.TaskDefinition{}}
	for _, it := range tasks {
		t := it.Value
		td, err := defs.get(ctx, t.TaskDefinitionARN)
		if err != nil {
			return err
		}
		for _, ctr := range t.Containers {
			group, name := Location(t.ClusterName, t.ID, ctr.Name, logConfiguration(td, ctr.Name))
			g := c.group(group, t.CreatedAt)
			created := t.CreatedAt
			if created.IsZero() {
				created = g.created
			}
			g.streams = append(g.streams, logStream{name: name, containerID: ContainerID(t.ID, ctr.Name), created: created})
		}
	}
	return nil
}

// addStored adds the groups and streams clients created.
func (a *API) addStored(ctx context.Context, c *catalogBuilder) error {
	groups, _, err := a.store.LogGroups.List(ctx, "")
	if err != nil {
		return fmt.Errorf("list log groups: %w", err)
	}
	for _, it := range groups {
		g := c.group(it.Value.Name, it.Value.CreatedAt)
		g.stored, g.rev = &it.Value, it.Revision
	}
	streams, _, err := a.store.LogStreams.List(ctx, "")
	if err != nil {
		return fmt.Errorf("list log streams: %w", err)
	}
	for _, it := range streams {
		g := c.groups[it.Value.Group]
		if g == nil {
			continue // a stream whose group went with a delete that raced with its creation
		}
		g.streams = append(g.streams, logStream{name: it.Value.Name, stored: &it.Value, rev: it.Revision, created: it.Value.CreatedAt})
	}
	return nil
}

// group returns the group named name, or logs.ErrGroupNotFound.
func (a *API) group(ctx context.Context, name string) (*logGroup, error) {
	groups, err := a.catalog(ctx)
	if err != nil {
		return nil, err
	}
	i, ok := slices.BinarySearchFunc(groups, name, func(g *logGroup, n string) int { return strings.Compare(g.name, n) })
	if !ok {
		return nil, logs.ErrGroupNotFound
	}
	return groups[i], nil
}

// stream returns the stream named name of g, or logs.ErrStreamNotFound.
func (g *logGroup) stream(name string) (logStream, error) {
	i, ok := slices.BinarySearchFunc(g.streams, name, func(s logStream, n string) int { return strings.Compare(s.name, n) })
	if !ok {
		return logStream{}, logs.ErrStreamNotFound
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
