package docker

import (
	"context"
	"sort"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/fargohq/fargo/internal/runtime"
)

// labelNetwork marks the bridge network the driver created.
const labelNetwork = "fargo.network"

// network decides where a new container goes. In awsvpc mode the first container of a task
// gets its own address on the driver's bridge network, and later ones join the network
// namespace of a running container that has one, so that they share localhost as in ECS.
func (d *Driver) network(ctx context.Context, spec runtime.ContainerSpec) (netPlan, error) {
	mode, err := normalMode(spec.NetworkMode)
	if err != nil {
		return netPlan{}, err
	}
	switch mode {
	case modeBridge, modeHost, modeNone:
		return netPlan{mode: mode, nsArg: mode}, nil
	}
	if spec.TaskID != "" {
		res, err := d.engine.ContainerList(ctx, client.ContainerListOptions{Filters: client.Filters{}.
			Add("label", labelScope+"="+d.cfg.Scope, labelTaskID+"="+spec.TaskID, labelNetnsOwner+"=true").
			Add("status", "running")})
		if err != nil {
			return netPlan{}, d.engineErr(err, "find the network of task %q", spec.TaskID)
		}
		if len(res.Items) > 0 {
			return netPlan{mode: mode, nsArg: "container:" + res.Items[0].ID}, nil
		}
	}
	id, err := d.ensureNetwork(ctx)
	if err != nil {
		return netPlan{}, err
	}
	return netPlan{mode: mode, nsArg: id, owner: true}, nil
}

// ensureNetwork returns the id of the awsvpc bridge network, and creates it when missing.
// Engines before API 1.44 accept two networks of one name; if two fargo processes created one
// each at the same moment, every driver picks the oldest, and a driver removes its own if it
// lost.
func (d *Driver) ensureNetwork(ctx context.Context) (string, error) {
	d.netMu.Lock()
	defer d.netMu.Unlock()
	if d.netID != "" {
		if _, err := d.engine.NetworkInspect(ctx, d.netID, client.NetworkInspectOptions{}); err == nil {
			return d.netID, nil
		} else if !cerrdefs.IsNotFound(err) {
			return "", d.engineErr(err, "inspect network %s", d.cfg.Network)
		}
		d.netID = ""
	}
	id, err := d.findNetwork(ctx)
	if err != nil || id != "" {
		d.netID = id
		return id, err
	}
	created, err := d.engine.NetworkCreate(ctx, d.cfg.Network, client.NetworkCreateOptions{
		Driver: "bridge", Labels: map[string]string{labelNetwork: "true"},
	})
	if err != nil {
		return "", d.engineErr(err, "create network %s", d.cfg.Network)
	}
	d.log.Info("created the network of awsvpc tasks", "network", d.cfg.Network, "id", created.ID)
	if id, err = d.findNetwork(ctx); err != nil {
		return "", err
	}
	if id != created.ID {
		if _, err := d.engine.NetworkRemove(ctx, created.ID, client.NetworkRemoveOptions{}); err != nil {
			d.log.Warn("remove a duplicate network", "network", d.cfg.Network, "id", created.ID, "err", err)
		}
	}
	d.netID = id
	return id, nil
}

// findNetwork returns the id of the oldest network named Config.Network, or "".
func (d *Driver) findNetwork(ctx context.Context) (string, error) {
	res, err := d.engine.NetworkList(ctx, client.NetworkListOptions{Filters: client.Filters{}.Add("name", d.cfg.Network)})
	if err != nil {
		return "", d.engineErr(err, "list networks")
	}
	items := res.Items
	sort.Slice(items, func(i, j int) bool {
		if !items[i].Created.Equal(items[j].Created) {
			return items[i].Created.Before(items[j].Created)
		}
		return items[i].ID < items[j].ID
	})
	for _, n := range items {
		if n.Name == d.cfg.Network { // the filter matches parts of names too
			return n.ID, nil
		}
	}
	return "", nil
}
