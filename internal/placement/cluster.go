package placement

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/fargohq/fargo/internal/clusterquery"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
)

// HeartbeatTimeout is how long a container instance may miss heartbeats before its agent
// counts as disconnected and no task is placed on it.
const HeartbeatTimeout = 30 * time.Second

// Cluster is what placement knows of a cluster: its ACTIVE container instances, what the tasks
// placed on them reserve, and the tasks Place adds.
type Cluster struct {
	instances []*instance
	now       time.Time
	pick      func(n int) int
}

// instance is a container instance with what its live tasks use; it answers the cluster
// query language's subjects.
type instance struct {
	ecs.ContainerInstance
	attrs   map[string]string
	left    ecs.Resources
	ports   map[ecs.HostPort]bool
	groups  map[string]int
	live    int
	running int
}

var _ clusterquery.Target = (*instance)(nil)

// NewCluster returns the placement view of a cluster's instances and tasks (others' and
// stopped ones are skipped) at now. pick(n) returns a number in [0, n) for the random
// strategy; nil picks the first.
func NewCluster(instances []ecs.ContainerInstance, tasks []ecs.Task, now time.Time, pick func(n int) int) *Cluster {
	if pick == nil {
		pick = func(int) int { return 0 }
	}
	active := slices.DeleteFunc(slices.Clone(instances), func(ci ecs.ContainerInstance) bool { return ci.Status != ecs.InstanceActive })
	return &Cluster{instances: views(active, tasks), now: now, pick: pick}
}

// views are the instances, sorted by id, with what the live tasks placed on them use.
func views(instances []ecs.ContainerInstance, tasks []ecs.Task) []*instance {
	out := make([]*instance, 0, len(instances))
	byID := map[string]*instance{}
	for _, ci := range instances {
		in := &instance{ContainerInstance: ci, attrs: map[string]string{}, left: ecs.Resources{CPU: ci.CPU, Memory: ci.Memory},
			ports: map[ecs.HostPort]bool{}, groups: map[string]int{}}
		for _, a := range ci.Attributes {
			in.attrs[a.Name] = a.Value
		}
		out = append(out, in)
		byID[ci.ClusterName+"/"+ci.ID] = in
	}
	slices.SortFunc(out, func(a, b *instance) int { return cmp.Compare(a.ID, b.ID) })
	for _, t := range tasks {
		in := byID[t.ClusterName+"/"+t.ContainerInstanceID]
		if in == nil || t.IsStopped() {
			continue
		}
		in.reserve(t.Group, t.Resources(), t.UsedPorts())
		if t.CountsAsRunning() {
			in.running++
		}
	}
	return out
}

// Select returns the instances that a cluster query language expression selects, as
// ListContainerInstances' filter does, in id order.
func Select(expr string, instances []ecs.ContainerInstance, tasks []ecs.Task) ([]ecs.ContainerInstance, error) {
	q, err := clusterquery.Parse(expr)
	if err != nil {
		return nil, errdefs.InvalidArgument("Invalid filter expression '%s': %s.", expr, err.Error())
	}
	var out []ecs.ContainerInstance
	for _, in := range views(instances, tasks) {
		if q.Match(in) {
			out = append(out, in.ContainerInstance)
		}
	}
	return out, nil
}

func (in *instance) reserve(group string, needs ecs.Resources, ports []ecs.HostPort) {
	in.left.CPU -= needs.CPU
	in.left.Memory -= needs.Memory
	for _, p := range ports {
		in.ports[p] = true
	}
	in.groups[group]++
	in.live++
}

func (in *instance) connected(now time.Time) bool {
	return in.AgentConnected && now.Sub(in.LastHeartbeat) < HeartbeatTimeout
}

// Values answers the cluster query language. ec2InstanceId is the fargo node behind the
// instance: fargo's machines have no EC2 instance ids.
func (in *instance) Values(s clusterquery.Subject) []string {
	switch s.Field {
	case clusterquery.Attribute:
		if v, ok := in.attrs[s.Name]; ok {
			return []string{v}
		}
		return nil
	case clusterquery.AgentConnected:
		return []string{strconv.FormatBool(in.AgentConnected)}
	case clusterquery.AgentVersion:
		return []string{in.AgentVersion}
	case clusterquery.EC2InstanceID:
		return []string{in.NodeID}
	case clusterquery.RegisteredAt:
		return []string{in.RegisteredAt.UTC().Format(time.RFC3339)}
	case clusterquery.RunningTasksCount:
		return []string{strconv.Itoa(in.running)}
	case clusterquery.TaskGroup:
		var out []string
		for g, n := range in.groups {
			if n > 0 {
				out = append(out, g)
			}
		}
		return out
	}
	return nil
}
