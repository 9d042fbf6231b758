package agent

import (
	"context"
	"errors"
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

// register creates or refreshes this node's container instance in cluster c.
func (a *Agent) register(ctx context.Context, c ecs.Cluster) error {
	id := InstanceID(a.cfg.NodeID, c.Name)
	key := store.ContainerInstanceID(c.Name, id)
	now := a.cfg.Now()
	_, err := a.st.ContainerInstances.Update(ctx, key, func(in *ecs.ContainerInstance) error {
		in.AgentConnected = true
		in.LastHeartbeat = now
		in.Address = a.cfg.Address
		in.AgentVersion = a.cfg.Version
		if in.Status == ecs.InstanceInactive {
			in.Status = ecs.InstanceActive
		}
		in.Version++
		return nil
	})
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
		Attributes: []ecs.Attribute{
			{Name: "ecs.os-type", Value: "linux"},
			{Name: "ecs.capability.fargate"},
			{Name: "fargo.driver", Value: a.drv.Name()},
		},
		Version:       1,
		LastHeartbeat: now,
	})
	if errors.Is(err, errdefs.ErrAlreadyExists) {
		return nil // registered concurrently; the next heartbeat refreshes it
	}
	return err
}
