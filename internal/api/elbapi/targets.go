package elbapi

import (
	"context"
	"slices"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

type wireTarget struct {
	ID               *string `query:"Id" xml:"Id"`
	Port             *int32  `query:"Port" xml:"Port,omitempty"`
	AvailabilityZone *string `query:"AvailabilityZone" xml:"AvailabilityZone,omitempty"`
}

type targetsInput struct {
	TargetGroupArn *string      `query:"TargetGroupArn"`
	Targets        []wireTarget `query:"Targets"`
}

type describeTargetHealthInput struct {
	TargetGroupArn *string      `query:"TargetGroupArn"`
	Targets        []wireTarget `query:"Targets"`
	Include        []string     `query:"Include"`
}

type describeTargetHealthOutput struct {
	TargetHealthDescriptions list[wireTargetHealthDescription] `xml:"TargetHealthDescriptions"`
}

type wireTargetHealthDescription struct {
	Target          wireTarget       `xml:"Target"`
	HealthCheckPort string           `xml:"HealthCheckPort"`
	TargetHealth    wireTargetHealth `xml:"TargetHealth"`
}

type wireTargetHealth struct {
	State       string `xml:"State"`
	Reason      string `xml:"Reason,omitempty"`
	Description string `xml:"Description,omitempty"`
}

func targetsFromWire(in []wireTarget) ([]elb.Target, error) {
	out := make([]elb.Target, 0, len(in))
	for _, t := range in {
		id, err := required(t.ID, "targets.member.id")
		if err != nil {
			return nil, err
		}
		out = append(out, elb.Target{ID: id, Port: given(t.Port), AvailabilityZone: awsproto.Deref(t.AvailabilityZone)})
	}
	return out, nil
}

// targetsRequest returns the target group and targets of Register/DeregisterTargets.
func targetsRequest(in *targetsInput) (string, []elb.Target, error) {
	tgARN, err := required(in.TargetGroupArn, "targetGroupArn")
	if err != nil {
		return "", nil, err
	}
	if len(in.Targets) == 0 {
		return "", nil, errdefs.InvalidArgument("At least one target must be specified")
	}
	targets, err := targetsFromWire(in.Targets)
	return tgARN, targets, err
}

// registrations reads a target group, with its revision, and its registrations.
func (a *API) registrations(ctx context.Context, tgARN string) (store.Item[elb.TargetGroup], []store.Item[elb.Registration], error) {
	tg, err := a.targetGroup(ctx, tgARN)
	if err != nil {
		return tg, nil, err
	}
	regs, _, err := a.store.TargetRegistrations.List(ctx, store.TargetGroupPrefix(tg.Value.Name))
	if err != nil {
		return tg, nil, err
	}
	return tg, regs, nil
}

// registrationWrite is one change of RegisterTargets or DeregisterTargets.
type registrationWrite struct {
	reg    elb.Registration
	remove bool
}

// writeRegistrations commits writes to tg's registrations, with tg rewritten at the revision
// read: a concurrent DeleteTargetGroup then conflicts, and so do concurrent registrations,
// which counted the group's targets.
func (a *API) writeRegistrations(ctx context.Context, tg store.Item[elb.TargetGroup], current []store.Item[elb.Registration], writes []registrationWrite) error {
	var txn store.Txn
	if err := a.store.TargetGroups.Put(&txn, tg.ID, tg.Value, tg.Revision); err != nil {
		return err
	}
	for _, w := range writes {
		id := store.TargetRegistrationID(tg.Value.Name, w.reg.Target)
		rev := int64(0)
		if i := slices.IndexFunc(current, func(it store.Item[elb.Registration]) bool { return it.ID == id }); i >= 0 {
			rev = current[i].Revision
		}
		if w.remove {
			a.store.TargetRegistrations.Remove(&txn, id, rev)
		} else if err := a.store.TargetRegistrations.Put(&txn, id, w.reg, rev); err != nil {
			return err
		}
	}
	_, err := a.store.Commit(ctx, &txn)
	return err
}

func (a *API) registerTargets(ctx context.Context, in *targetsInput) (*emptyOutput, error) {
	tgARN, targets, err := targetsRequest(in)
	if err != nil {
		return nil, err
	}
	_, err = retry(func() (struct{}, error) {
		tg, current, err := a.registrations(ctx, tgARN)
		if err != nil {
			return struct{}{}, err
		}
		regs, err := elb.Register(tg.Value, values(current), targets, a.now())
		if err != nil || len(regs) == 0 {
			return struct{}{}, err
		}
		writes := make([]registrationWrite, 0, len(regs))
		for _, r := range regs {
			writes = append(writes, registrationWrite{reg: r})
		}
		return struct{}{}, a.writeRegistrations(ctx, tg, current, writes)
	})
	if err != nil {
		return nil, err
	}
	return &emptyOutput{}, nil
}

func (a *API) deregisterTargets(ctx context.Context, in *targetsInput) (*emptyOutput, error) {
	tgARN, targets, err := targetsRequest(in)
	if err != nil {
		return nil, err
	}
	_, err = retry(func() (struct{}, error) {
		tg, current, err := a.registrations(ctx, tgARN)
		if err != nil {
			return struct{}{}, err
		}
		rt, err := a.readRouting(ctx)
		if err != nil {
			return struct{}{}, err
		}
		drain, remove, err := elb.Deregister(tg.Value, values(current), targets, len(rt.users[tgARN]) > 0, a.now())
		if err != nil || len(drain)+len(remove) == 0 {
			return struct{}{}, err
		}
		var writes []registrationWrite
		for _, r := range drain {
			writes = append(writes, registrationWrite{reg: r})
		}
		for _, r := range remove {
			writes = append(writes, registrationWrite{reg: r, remove: true})
		}
		return struct{}{}, a.writeRegistrations(ctx, tg, current, writes)
	})
	if err != nil {
		return nil, err
	}
	return &emptyOutput{}, nil
}

func (a *API) describeTargetHealth(ctx context.Context, in *describeTargetHealthInput) (*describeTargetHealthOutput, error) {
	tgARN, err := required(in.TargetGroupArn, "targetGroupArn")
	if err != nil {
		return nil, err
	}
	for _, inc := range in.Include {
		if inc != "AnomalyDetection" && inc != "All" {
			return nil, errdefs.InvalidArgument("Include value '%s' is not valid; use AnomalyDetection or All", clip(inc))
		}
	}
	asked, err := targetsFromWire(in.Targets)
	if err != nil {
		return nil, err
	}
	tg, current, err := a.registrations(ctx, tgARN)
	if err != nil {
		return nil, err
	}
	rt, err := a.readRouting(ctx)
	if err != nil {
		return nil, err
	}
	inUse := len(rt.users[tgARN]) > 0
	out := &describeTargetHealthOutput{TargetHealthDescriptions: list[wireTargetHealthDescription]{}}
	if len(in.Targets) == 0 { // absent or empty: every registered target
		for _, r := range current {
			out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, healthToWire(tg.Value, r.Value.Target, r.Value.Reported(inUse)))
		}
		return out, nil
	}
	for _, t := range asked {
		t, err := elb.ValidateTarget(tg.Value, t)
		if err != nil {
			return nil, err
		}
		h := elb.NotRegistered()
		if i := slices.IndexFunc(current, func(it store.Item[elb.Registration]) bool { return elb.SameTarget(it.Value.Target, t) }); i >= 0 {
			h = current[i].Value.Reported(inUse)
			t = current[i].Value.Target
		}
		out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, healthToWire(tg.Value, t, h))
	}
	return out, nil
}

func healthToWire(tg elb.TargetGroup, t elb.Target, h elb.TargetHealth) wireTargetHealthDescription {
	return wireTargetHealthDescription{
		Target:          wireTarget{ID: ptr(t.ID), Port: ptr(int32(t.Port)), AvailabilityZone: optional(t.AvailabilityZone)},
		HealthCheckPort: elb.HealthCheckPort(tg, t),
		TargetHealth:    wireTargetHealth{State: string(h.State), Reason: h.Reason, Description: h.Description},
	}
}
