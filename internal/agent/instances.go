package agent

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// heartbeat registers this node in every ACTIVE cluster and confirms the registrations every
// HeartbeatInterval, and at once when a cluster appears.
func (a *Agent) heartbeat(ctx context.Context) error {
	tick := time.NewTicker(a.cfg.HeartbeatInterval)
	defer tick.Stop()
	for {
		for _, c := range a.clusters.Filter(func(it store.Item[ecs.Cluster]) bool { return it.Value.Status == ecs.ClusterActive }) {
			if err := a.register(ctx, c.Value); err != nil && ctx.Err() == nil {
				a.log.Warn("register container instance", "cluster", c.Value.Name, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-a.clusterNudge:
		}
	}
}

// register creates or refreshes this node's container instance in cluster c. The first
// registration of a run also rewrites the node's resources and its own attributes, which may
// have changed since the last run; attributes that PutAttributes added stay.
func (a *Agent) register(ctx context.Context, c ecs.Cluster) error {
	id := InstanceID(a.cfg.NodeID, c.Name)
	key := store.ContainerInstanceID(c.Name, id)
	now := a.cfg.Now()
	refresh := !a.refreshed[c.Name]
	_, err := a.st.ContainerInstances.Update(ctx, key, func(in *ecs.ContainerInstance) error {
		in.AgentConnected = true
		in.LastHeartbeat = now
		in.Address = a.cfg.Address
		in.AgentVersion = a.cfg.Version
		if in.Status == ecs.InstanceInactive {
			in.Status = ecs.InstanceActive
		}
		if refresh {
			in.CPU, in.Memory = a.cfg.CPU, a.cfg.Memory
			in.Attributes = mergeAttributes(in.Attributes, a.attributes())
		}
		in.Version++
		return nil
	})
	if err == nil {
		a.refreshed[c.Name] = true
	}
	if !errors.Is(err, errdefs.ErrNotFound) {
		return err
	}
	_, err = a.st.ContainerInstances.Create(ctx, key, ecs.ContainerInstance{
		ID:             id,
		ARN:            a.scope.New("ecs", "container-instance/"+c.Name+"/"+id).String(),
		ClusterName:    c.Name,
		NodeID:         a.cfg.NodeID,
		Address:        a.cfg.Address,
		Status:         ecs.InstanceActive,
		AgentConnected: true,
		RegisteredAt:   now,
		CPU:            a.cfg.CPU,
		Memory:         a.cfg.Memory,
		AgentVersion:   a.cfg.Version,
		Attributes:     a.attributes(),
		Version:        1,
		LastHeartbeat:  now,
	})
	if err == nil {
		a.refreshed[c.Name] = true
	}
	if errors.Is(err, errdefs.ErrAlreadyExists) {
		return nil // registered concurrently; the next heartbeat refreshes it
	}
	return err
}

// attributes are the ones the node registers: ECS's own, the driver's, then the custom ones
// of its configuration.
func (a *Agent) attributes() []ecs.Attribute {
	own := []ecs.Attribute{
		{Name: "ecs.os-type", Value: "linux"},
		{Name: "ecs.cpu-architecture", Value: cpuArchitecture()},
		{Name: "ecs.capability.fargate"},
		{Name: "fargo.driver", Value: a.drv.Name()},
	}
	if a.cfg.AvailabilityZone != "" {
		own = append(own, ecs.Attribute{Name: "ecs.availability-zone", Value: a.cfg.AvailabilityZone})
	}
	return mergeAttributes(own, a.cfg.Attributes)
}

// mergeAttributes returns base with each attribute of over set, by name: over's value wins.
func mergeAttributes(base, over []ecs.Attribute) []ecs.Attribute {
	out := slices.Clone(base)
	for _, o := range over {
		i := slices.IndexFunc(out, func(b ecs.Attribute) bool { return b.Name == o.Name })
		if i >= 0 {
			out[i] = o
		} else {
			out = append(out, o)
		}
	}
	return out
}
