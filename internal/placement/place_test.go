package placement

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/ecs"
)

var now = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// node is an ACTIVE, connected instance with 2 cores and 4 GiB in zone az.
func node(id, az string, attrs ...ecs.Attribute) ecs.ContainerInstance {
	if az != "" {
		attrs = append(attrs, ecs.Attribute{Name: "ecs.availability-zone", Value: az})
	}
	return ecs.ContainerInstance{
		ID: id, ARN: "arn:aws:ecs:us-east-1:000000000000:container-instance/c/" + id, ClusterName: "c", NodeID: "node-" + id,
		Status: ecs.InstanceActive, AgentConnected: true, LastHeartbeat: now.Add(-time.Second), RegisteredAt: now.Add(-time.Hour),
		CPU: 2048, Memory: 4096, AgentVersion: "1.2.0", Attributes: attrs,
	}
}

func with(in ecs.ContainerInstance, change func(*ecs.ContainerInstance)) ecs.ContainerInstance {
	change(&in)
	return in
}

// running is a live task of group on instance id reserving cpu and memory.
func running(id, group string, cpu, memory int, ports ...ecs.HostPort) ecs.Task {
	return ecs.Task{ClusterName: "c", ContainerInstanceID: id, Group: group, CPU: fmt.Sprint(cpu), Memory: fmt.Sprint(memory),
		LastStatus: ecs.TaskRunning, DesiredStatus: ecs.TaskRunning, HostPorts: ports, LaunchType: "EC2"}
}

func tcp(p int) ecs.HostPort { return ecs.HostPort{Port: p, Protocol: ecs.TransportProtocolTCP} }
func udp(p int) ecs.HostPort { return ecs.HostPort{Port: p, Protocol: ecs.TransportProtocolUDP} }

func spread(field string) ecs.PlacementStrategy {
	return ecs.PlacementStrategy{Type: ecs.PlacementSpread, Field: field}
}

func binpack(field string) ecs.PlacementStrategy {
	return ecs.PlacementStrategy{Type: ecs.PlacementBinpack, Field: field}
}

func memberOf(expr string) ecs.PlacementConstraint {
	return ecs.PlacementConstraint{Type: ecs.PlacementMemberOf, Expression: expr}
}

var distinct = ecs.PlacementConstraint{Type: ecs.PlacementDistinctInstance}

func TestPlace(t *testing.T) {
	t.Parallel()
	small := ecs.Resources{CPU: 256, Memory: 512}
	three := []ecs.ContainerInstance{node("i1", "a"), node("i2", "b"), node("i3", "a")}
	tests := []struct {
		name        string
		instances   []ecs.ContainerInstance
		tasks       []ecs.Task
		fargate     bool
		needs       ecs.Resources
		ports       []ecs.HostPort
		constraints []ecs.PlacementConstraint
		strategy    []ecs.PlacementStrategy
		pick        int
		want        string // the chosen instance
		fail        Reason // or why none fits
		closest     string // and the closest instance
	}{
		{name: "no strategy: fewest tasks", instances: three, tasks: []ecs.Task{running("i1", "x", 0, 0), running("i2", "x", 0, 0)}, needs: small, want: "i3"},
		{name: "no strategy: lowest id of equals", instances: three, needs: small, want: "i1"},
		{name: "stopped tasks free their instance", instances: three,
			tasks: []ecs.Task{with2(running("i1", "x", 0, 0), ecs.TaskStopped), running("i2", "x", 0, 0), running("i3", "x", 0, 0)}, needs: small, want: "i1"},
		{name: "tasks of other clusters do not count", instances: three,
			tasks: []ecs.Task{otherCluster(running("i1", "x", 2048, 4096))}, needs: small, want: "i1"},
		{name: "DRAINING and INACTIVE instances take nothing", needs: small, fail: "",
			instances: []ecs.ContainerInstance{with(node("i1", "a"), func(i *ecs.ContainerInstance) { i.Status = ecs.InstanceDraining })}},
		{name: "disconnected agent", needs: small, fail: ReasonAgent, closest: "i1",
			instances: []ecs.ContainerInstance{with(node("i1", "a"), func(i *ecs.ContainerInstance) { i.AgentConnected = false })}},
		{name: "stale heartbeat", needs: small, fail: ReasonAgent, closest: "i1",
			instances: []ecs.ContainerInstance{with(node("i1", "a"), func(i *ecs.ContainerInstance) { i.LastHeartbeat = now.Add(-time.Minute) })}},
		{name: "cpu", instances: three[:1], tasks: []ecs.Task{running("i1", "x", 2000, 0)}, needs: small, fail: ReasonCPU, closest: "i1"},
		{name: "memory", instances: three[:1], tasks: []ecs.Task{running("i1", "x", 0, 3800)}, needs: small, fail: ReasonMemory, closest: "i1"},
		{name: "exactly what is left fits", instances: three[:1], tasks: []ecs.Task{running("i1", "x", 1792, 3584)}, needs: small, want: "i1"},
		{name: "too big for any instance", instances: three, needs: ecs.Resources{CPU: 4096}, fail: ReasonCPU, closest: "i1"},
		{name: "tcp port taken", instances: three[:1], tasks: []ecs.Task{running("i1", "x", 0, 0, tcp(80))}, needs: small, ports: []ecs.HostPort{tcp(80)},
			fail: ReasonPorts, closest: "i1"},
		{name: "udp port taken", instances: three[:1], tasks: []ecs.Task{running("i1", "x", 0, 0, udp(53))}, needs: small, ports: []ecs.HostPort{udp(53)},
			fail: ReasonPortsUDP, closest: "i1"},
		{name: "same number, other protocol", instances: three[:1], tasks: []ecs.Task{running("i1", "x", 0, 0, udp(80))}, needs: small, ports: []ecs.HostPort{tcp(80)}, want: "i1"},
		{name: "bound dynamic ports count", instances: three[:1], tasks: []ecs.Task{bound(running("i1", "x", 0, 0), 32768)}, ports: []ecs.HostPort{tcp(32768)},
			fail: ReasonPorts, closest: "i1"},
		{name: "port free elsewhere", instances: three, tasks: []ecs.Task{running("i1", "x", 0, 0, tcp(80))}, ports: []ecs.HostPort{tcp(80)}, want: "i2"},
		{name: "closest is the one that got furthest", needs: ecs.Resources{CPU: 256, Memory: 1024},
			instances: []ecs.ContainerInstance{with(node("i1", "a"), func(i *ecs.ContainerInstance) { i.AgentConnected = false }), node("i2", "a"), node("i3", "a")},
			tasks:     []ecs.Task{running("i2", "x", 2048, 0), running("i3", "x", 0, 4000)}, fail: ReasonMemory, closest: "i3"},
		{name: "closest of equals is the lowest id", instances: three, needs: ecs.Resources{Memory: 8192}, fail: ReasonMemory, closest: "i1"},
		{name: "fargate skips the resource check", fargate: true, instances: three[:1], tasks: []ecs.Task{running("i1", "x", 2048, 4096)}, needs: small, want: "i1"},
		{name: "fargate still needs an agent", fargate: true, needs: small, fail: ReasonAgent, closest: "i1",
			instances: []ecs.ContainerInstance{with(node("i1", "a"), func(i *ecs.ContainerInstance) { i.AgentConnected = false })}},

		{name: "memberOf attribute", instances: three, constraints: []ecs.PlacementConstraint{memberOf("attribute:ecs.availability-zone == b")}, want: "i2"},
		{name: "memberOf in", instances: three, tasks: []ecs.Task{running("i1", "x", 0, 0)},
			constraints: []ecs.PlacementConstraint{memberOf("attribute:ecs.availability-zone in [a, c]")}, want: "i3"},
		{name: "memberOf nobody", instances: three, constraints: []ecs.PlacementConstraint{memberOf("attribute:ecs.availability-zone == z")},
			fail: ReasonMemberOf, closest: "i1"},
		{name: "memberOf after resources", instances: three, tasks: []ecs.Task{running("i1", "x", 2048, 0)}, needs: small,
			constraints: []ecs.PlacementConstraint{memberOf("attribute:ecs.availability-zone == z")}, fail: ReasonMemberOf, closest: "i2"},
		{name: "memberOf custom attribute exists", instances: []ecs.ContainerInstance{node("i1", "a"), node("i2", "a", ecs.Attribute{Name: "gpu"})},
			constraints: []ecs.PlacementConstraint{memberOf("attribute:gpu exists")}, want: "i2"},
		{name: "memberOf task group affinity", instances: three, tasks: []ecs.Task{running("i2", "service:db", 0, 0)},
			constraints: []ecs.PlacementConstraint{memberOf("task:group == service:db")}, want: "i2"},
		{name: "memberOf anti-affinity", instances: three, tasks: []ecs.Task{running("i1", "service:db", 0, 0)},
			constraints: []ecs.PlacementConstraint{memberOf("not(task:group == service:db)")}, want: "i2"},
		{name: "memberOf ec2InstanceId is the node", instances: three, constraints: []ecs.PlacementConstraint{memberOf("ec2InstanceId == node-i3")}, want: "i3"},
		{name: "memberOf runningTasksCount: pending tasks do not run", instances: three[:2], tasks: []ecs.Task{running("i1", "x", 0, 0), pending(running("i2", "x", 0, 0))},
			constraints: []ecs.PlacementConstraint{memberOf("runningTasksCount == 0")}, want: "i2"},
		{name: "memberOf agentConnected and registeredAt", instances: three,
			constraints: []ecs.PlacementConstraint{memberOf("agentConnected == true and registeredAt < 2026-01-02")}, fail: ReasonMemberOf, closest: "i1"},
		{name: "every memberOf must hold", instances: three, constraints: []ecs.PlacementConstraint{
			memberOf("attribute:ecs.availability-zone == a"), memberOf("ec2InstanceId != node-i1")}, want: "i3"},
		{name: "distinctInstance", instances: three, tasks: []ecs.Task{running("i1", "g", 0, 0), running("i2", "g", 0, 0), running("i3", "other", 0, 0)},
			constraints: []ecs.PlacementConstraint{distinct}, want: "i3"},
		{name: "distinctInstance full", instances: three[:2], tasks: []ecs.Task{running("i1", "g", 0, 0), running("i2", "g", 0, 0)},
			constraints: []ecs.PlacementConstraint{distinct}, fail: ReasonDistinctInstance, closest: "i1"},
		{name: "distinctInstance after memberOf", instances: three, tasks: []ecs.Task{running("i1", "g", 0, 0)},
			constraints: []ecs.PlacementConstraint{distinct, memberOf("attribute:ecs.availability-zone == a")}, want: "i3"},

		{name: "spread instanceId counts the group only", instances: three,
			tasks:    []ecs.Task{running("i1", "g", 0, 0), running("i2", "g", 0, 0), running("i3", "other", 0, 0), running("i3", "other", 0, 0)},
			strategy: []ecs.PlacementStrategy{spread("instanceId")}, want: "i3"},
		{name: "spread host is instanceId", instances: three, tasks: []ecs.Task{running("i1", "g", 0, 0)},
			strategy: []ecs.PlacementStrategy{spread("host")}, want: "i2"},
		{name: "spread zone", instances: three, tasks: []ecs.Task{running("i1", "g", 0, 0)},
			strategy: []ecs.PlacementStrategy{spread("attribute:ecs.availability-zone")}, want: "i2"},
		{name: "spread zone counts the whole zone", instances: three, tasks: []ecs.Task{running("i1", "g", 0, 0), running("i3", "g", 0, 0)},
			strategy: []ecs.PlacementStrategy{spread("attribute:ecs.availability-zone")}, want: "i2"},
		{name: "spread zone then instance", instances: append(three, node("i4", "b")), tasks: []ecs.Task{running("i1", "g", 0, 0), running("i2", "g", 0, 0), running("i4", "other", 0, 0), running("i4", "other", 0, 0)},
			strategy: []ecs.PlacementStrategy{spread("attribute:ecs.availability-zone"), spread("instanceId")}, want: "i3"},
		{name: "spread over an attribute some lack", instances: []ecs.ContainerInstance{node("i1", ""), node("i2", "b")}, tasks: []ecs.Task{running("i2", "g", 0, 0)},
			strategy: []ecs.PlacementStrategy{spread("attribute:ecs.availability-zone")}, want: "i1"},
		{name: "binpack memory: least left", instances: three, tasks: []ecs.Task{running("i2", "x", 0, 1024), running("i3", "x", 0, 512)}, needs: small,
			strategy: []ecs.PlacementStrategy{binpack("memory")}, want: "i2"},
		{name: "binpack memory skips what does not fit", instances: three, tasks: []ecs.Task{running("i2", "x", 0, 4000), running("i3", "x", 0, 512)}, needs: small,
			strategy: []ecs.PlacementStrategy{binpack("memory")}, want: "i3"},
		{name: "binpack cpu", instances: three, tasks: []ecs.Task{running("i1", "x", 512, 0), running("i3", "x", 1024, 0)}, needs: small,
			strategy: []ecs.PlacementStrategy{binpack("cpu")}, want: "i3"},
		{name: "binpack cpu tie broken by spread", instances: three, tasks: []ecs.Task{running("i1", "g", 1024, 0), running("i3", "x", 1024, 0)}, needs: small,
			strategy: []ecs.PlacementStrategy{binpack("cpu"), spread("instanceId")}, want: "i3"},
		{name: "spread tie broken by binpack", instances: three, tasks: []ecs.Task{running("i1", "x", 0, 1024), running("i3", "x", 0, 2048)}, needs: small,
			strategy: []ecs.PlacementStrategy{spread("instanceId"), binpack("memory")}, want: "i3"},
		{name: "random picks among the fitting", instances: three, tasks: []ecs.Task{running("i1", "x", 2048, 0)}, needs: small,
			strategy: []ecs.PlacementStrategy{{Type: ecs.PlacementRandom}}, pick: 1, want: "i3"},
		{name: "random among the spread's ties", instances: three, tasks: []ecs.Task{running("i2", "g", 0, 0)},
			strategy: []ecs.PlacementStrategy{spread("instanceId"), {Type: ecs.PlacementRandom}}, pick: 1, want: "i3"},
		{name: "strategy after a single fit is moot", instances: three, constraints: []ecs.PlacementConstraint{memberOf("attribute:ecs.availability-zone == b")},
			strategy: []ecs.PlacementStrategy{{Type: ecs.PlacementRandom}}, pick: 5, want: "i2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			compiled, err := Compile(tt.constraints)
			if err != nil {
				t.Fatal(err)
			}
			c := NewCluster(tt.instances, tt.tasks, now, func(n int) int { return tt.pick % n })
			r := Request{Group: "g", Fargate: tt.fargate, Needs: tt.needs, Ports: tt.ports, Constraints: compiled, Strategy: tt.strategy}
			got, failure, ok := c.Place(r)
			switch {
			case tt.want != "" && (!ok || got.ID != tt.want):
				t.Fatalf("Place = %s, %+v, %v; want %s", got.ID, failure, ok, tt.want)
			case tt.want == "" && ok:
				t.Fatalf("Place = %s; want no instance", got.ID)
			case tt.want == "" && (failure.Reason != tt.fail || failure.Instance.ID != tt.closest):
				t.Fatalf("Failure = %s on %q, want %s on %q", failure.Reason, failure.Instance.ID, tt.fail, tt.closest)
			}
		})
	}
}

func with2(t ecs.Task, last ecs.TaskStatus) ecs.Task { t.LastStatus = last; return t }
func pending(t ecs.Task) ecs.Task                    { t.LastStatus = ecs.TaskPending; return t }
func otherCluster(t ecs.Task) ecs.Task               { t.ClusterName = "d"; return t }

func bound(t ecs.Task, hostPort int) ecs.Task {
	t.Containers = []ecs.Container{{NetworkBindings: []ecs.NetworkBinding{{ContainerPort: 80, HostPort: hostPort}}}}
	return t
}

// TestPlaceSequences places several tasks in a row: each sees the reservations of the ones
// before.
func TestPlaceSequences(t *testing.T) {
	t.Parallel()
	four := []ecs.ContainerInstance{node("i1", "a"), node("i2", "b"), node("i3", "a"), node("i4", "b")}
	tests := []struct {
		name        string
		count       int
		needs       ecs.Resources
		ports       []ecs.HostPort
		constraints []ecs.PlacementConstraint
		strategy    []ecs.PlacementStrategy
		want        []string // instance per task, "!" + reason when it failed
	}{
		{name: "spread zone then instance", count: 6, strategy: []ecs.PlacementStrategy{spread("attribute:ecs.availability-zone"), spread("instanceId")},
			want: []string{"i1", "i2", "i3", "i4", "i1", "i2"}},
		{name: "binpack fills one instance first", count: 5, needs: ecs.Resources{CPU: 1024, Memory: 1024}, strategy: []ecs.PlacementStrategy{binpack("cpu")},
			want: []string{"i1", "i1", "i2", "i2", "i3"}},
		{name: "distinctInstance runs out", count: 5, constraints: []ecs.PlacementConstraint{distinct},
			want: []string{"i1", "i2", "i3", "i4", "!" + string(ReasonDistinctInstance)}},
		{name: "a static port once per instance", count: 5, ports: []ecs.HostPort{tcp(8080)},
			want: []string{"i1", "i2", "i3", "i4", "!" + string(ReasonPorts)}},
		{name: "memory runs out", count: 9, needs: ecs.Resources{Memory: 2048},
			want: []string{"i1", "i2", "i3", "i4", "i1", "i2", "i3", "i4", "!" + string(ReasonMemory)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			compiled, err := Compile(tt.constraints)
			if err != nil {
				t.Fatal(err)
			}
			c := NewCluster(four, nil, now, nil)
			var got []string
			for range tt.count {
				in, failure, ok := c.Place(Request{Group: "g", Needs: tt.needs, Ports: tt.ports, Constraints: compiled, Strategy: tt.strategy})
				if ok {
					got = append(got, in.ID)
				} else {
					got = append(got, "!"+string(failure.Reason))
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("placements (-want +got):\n%s", diff)
			}
		})
	}
}

func TestServiceEvent(t *testing.T) {
	t.Parallel()
	in := node("0123abcd", "a")
	tests := []struct {
		failure Failure
		want    string
	}{
		{Failure{}, "(service web) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster."},
		{Failure{Instance: in, Reason: ReasonMemory}, "(service web) was unable to place a task because no container instance met all of its requirements. The closest matching container-instance 0123abcd has insufficient memory available. For more information, see the Troubleshooting section."},
		{Failure{Instance: in, Reason: ReasonCPU}, "The closest matching container-instance 0123abcd has insufficient CPU units available."},
		{Failure{Instance: in, Reason: ReasonPorts}, "The closest matching container-instance 0123abcd is already using a port required by your task."},
		{Failure{Instance: in, Reason: ReasonPortsUDP}, "is already using a port required by your task."},
		{Failure{Instance: in, Reason: ReasonAgent}, `The closest matching container-instance 0123abcd encountered error "AGENT".`},
		{Failure{Instance: in, Reason: ReasonMemberOf}, `encountered error "MemberOf placement constraint unsatisfied.".`},
		{Failure{Instance: in, Reason: ReasonDistinctInstance}, `encountered error "DistinctInstance placement constraint unsatisfied.".`},
	}
	for _, tt := range tests {
		if got := tt.failure.ServiceEvent("web"); !strings.Contains(got, tt.want) {
			t.Errorf("ServiceEvent(%s) = %q, want it to contain %q", tt.failure.Reason, got, tt.want)
		}
	}
}

func TestRequestFor(t *testing.T) {
	t.Parallel()
	task := ecs.Task{Group: "family:web", LaunchType: "EC2", CPU: "256", Memory: "512", HostPorts: []ecs.HostPort{tcp(80)}}
	r, err := RequestFor(task, []ecs.PlacementConstraint{distinct, memberOf("attribute:a exists")}, []ecs.PlacementStrategy{binpack("cpu")})
	if err != nil {
		t.Fatal(err)
	}
	if r.Group != "family:web" || r.Fargate || r.Needs != (ecs.Resources{CPU: 256, Memory: 512}) || len(r.Ports) != 1 || len(r.Constraints) != 2 || len(r.Strategy) != 1 {
		t.Fatalf("RequestFor = %+v", r)
	}
	if _, err := RequestFor(task, []ecs.PlacementConstraint{memberOf("attribute:a ==")}, nil); err == nil {
		t.Fatal("RequestFor took a bad expression")
	}
	task.LaunchType = "FARGATE"
	if r, _ := RequestFor(task, nil, nil); !r.Fargate {
		t.Fatal("a FARGATE task's request is not marked Fargate")
	}
	svc := ecs.Service{}
	if diff := cmp.Diff([]ecs.PlacementStrategy{spread("attribute:ecs.availability-zone")}, ServiceStrategy(svc)); diff != "" {
		t.Fatalf("default service strategy (-want +got):\n%s", diff)
	}
}

func TestSelect(t *testing.T) {
	t.Parallel()
	draining := with(node("i3", "b"), func(i *ecs.ContainerInstance) { i.Status = ecs.InstanceDraining })
	instances := []ecs.ContainerInstance{node("i2", "a"), node("i1", "b"), draining}
	tasks := []ecs.Task{running("i1", "service:web", 0, 0)}
	tests := []struct {
		expr string
		want []string
	}{
		{"attribute:ecs.availability-zone == b", []string{"i1", "i3"}},
		{"task:group == service:web", []string{"i1"}},
		{"runningTasksCount == 0 and agentConnected == true", []string{"i2", "i3"}},
	}
	for _, tt := range tests {
		got, err := Select(tt.expr, instances, tasks)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, in := range got {
			ids = append(ids, in.ID)
		}
		if diff := cmp.Diff(tt.want, ids); diff != "" {
			t.Errorf("Select(%q) (-want +got):\n%s", tt.expr, diff)
		}
	}
	if _, err := Select("attribute:a ==", instances, tasks); err == nil || !strings.HasPrefix(err.Error(), "Invalid filter expression 'attribute:a ==': ") {
		t.Fatalf("Select of a bad expression = %v", err)
	}
}
