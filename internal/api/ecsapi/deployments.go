package ecsapi

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// maxDescribeServiceDeployments is how many ARNs one DescribeServiceDeployments or
// DescribeServiceRevisions call may name.
const maxDescribeServiceDeployments = 20

var serviceDeploymentStatuses = []ecs.ServiceDeploymentStatus{ecs.SDPending, ecs.SDSuccessful, ecs.SDStopped, ecs.SDStopRequested,
	ecs.SDInProgress, ecs.SDRollbackRequested, ecs.SDRollbackInProgress, ecs.SDRollbackSuccessful, ecs.SDRollbackFailed}

func (a *API) listServiceDeployments(ctx context.Context, in *listServiceDeploymentsInput) (*listServiceDeploymentsOutput, error) {
	for _, st := range in.Status {
		if !slices.Contains(serviceDeploymentStatuses, ecs.ServiceDeploymentStatus(st)) {
			return nil, invalidEnum("status", st, "PENDING, SUCCESSFUL, STOPPED, STOP_REQUESTED, IN_PROGRESS, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED")
		}
	}
	if awsproto.Deref(in.Service) == "" {
		return nil, errdefs.InvalidArgument("service must be specified.")
	}
	cluster, err := a.clusterOrDefault(ctx, in.Cluster, false)
	if err != nil {
		return nil, err
	}
	name, ok := a.clusterChild(*in.Service, "service", cluster.Name)
	if !ok {
		return nil, ecs.ErrServiceNotFound
	}
	if _, err := a.store.Services.Get(ctx, store.ServiceID(cluster.Name, name)); errors.Is(err, errdefs.ErrNotFound) {
		return nil, ecs.ErrServiceNotFound
	} else if err != nil {
		return nil, err
	}
	items, _, err := a.store.ServiceDeployments.List(ctx, store.ServicePrefix(cluster.Name, name))
	if err != nil {
		return nil, err
	}
	var found []ecs.ServiceDeployment
	for _, it := range items {
		if matchesDeploymentFilter(it.Value, in) {
			found = append(found, it.Value)
		}
	}
	// Newest first, as ECS lists them.
	slices.SortStableFunc(found, func(x, y ecs.ServiceDeployment) int {
		return cmp.Or(y.CreatedAt.Compare(x.CreatedAt), cmp.Compare(x.ARN, y.ARN))
	})
	page, next, err := awsproto.Paginate(pages, found, awsproto.ByOffset[ecs.ServiceDeployment](), in.NextToken, in.MaxResults, 20)
	if err != nil {
		return nil, err
	}
	out := &listServiceDeploymentsOutput{ServiceDeployments: make([]wireServiceDeploymentBrief, len(page)), NextToken: next}
	for i, sd := range page {
		out.ServiceDeployments[i] = serviceDeploymentBriefToWire(sd)
	}
	return out, nil
}

func matchesDeploymentFilter(sd ecs.ServiceDeployment, in *listServiceDeploymentsInput) bool {
	if len(in.Status) > 0 && !slices.Contains(in.Status, string(sd.Status)) {
		return false
	}
	if f := in.CreatedAt; f != nil {
		if f.Before != nil && !sd.CreatedAt.Before(time.Time(*f.Before)) {
			return false
		}
		if f.After != nil && !sd.CreatedAt.After(time.Time(*f.After)) {
			return false
		}
	}
	return true
}

func (a *API) describeServiceDeployments(ctx context.Context, in *describeServiceDeploymentsInput) (*describeServiceDeploymentsOutput, error) {
	if err := checkARNCount("serviceDeploymentArns", in.ServiceDeploymentArns); err != nil {
		return nil, err
	}
	out := &describeServiceDeploymentsOutput{ServiceDeployments: []wireServiceDeployment{}, Failures: []wireFailure{}}
	for _, ref := range in.ServiceDeploymentArns {
		sd, err := a.serviceDeployment(ctx, ref)
		switch {
		case errors.Is(err, ecs.ErrServiceDeploymentNotFound):
			out.Failures = append(out.Failures, missing(ref))
		case err != nil:
			return nil, err
		default:
			out.ServiceDeployments = append(out.ServiceDeployments, serviceDeploymentToWire(sd.Value))
		}
	}
	return out, nil
}

func (a *API) describeServiceRevisions(ctx context.Context, in *describeServiceRevisionsInput) (*describeServiceRevisionsOutput, error) {
	if err := checkARNCount("serviceRevisionArns", in.ServiceRevisionArns); err != nil {
		return nil, err
	}
	out := &describeServiceRevisionsOutput{ServiceRevisions: []wireServiceRevision{}, Failures: []wireFailure{}}
	for _, ref := range in.ServiceRevisionArns {
		r, ok := ecs.ParseServiceChildARN(ref, "service-revision")
		if !ok {
			out.Failures = append(out.Failures, missing(ref))
			continue
		}
		it, err := a.store.ServiceRevisions.Get(ctx, store.ServiceChildID(r.Cluster, r.Service, r.ID))
		switch {
		case errors.Is(err, errdefs.ErrNotFound) || (err == nil && it.Value.ARN != ref):
			out.Failures = append(out.Failures, missing(ref))
		case err != nil:
			return nil, err
		default:
			out.ServiceRevisions = append(out.ServiceRevisions, serviceRevisionToWire(it.Value))
		}
	}
	return out, nil
}

func checkARNCount(member string, arns []string) error {
	if len(arns) == 0 {
		return errdefs.InvalidArgument("%s cannot be empty.", member)
	}
	if len(arns) > maxDescribeServiceDeployments {
		return errdefs.InvalidArgument("%s can contain at most %d items.", member, maxDescribeServiceDeployments)
	}
	return nil
}

func (a *API) stopServiceDeployment(ctx context.Context, in *stopServiceDeploymentInput) (*serviceDeploymentArnOutput, error) {
	ref := awsproto.Deref(in.ServiceDeploymentArn)
	err := a.modifyServiceDeployment(ctx, ref, func(sd ecs.ServiceDeployment) (ecs.ServiceDeployment, error) {
		return ecs.RequestStop(sd, awsproto.Deref(in.StopType), a.now())
	})
	if err != nil {
		return nil, err
	}
	return &serviceDeploymentArnOutput{ServiceDeploymentArn: ptr(ref)}, nil
}

func (a *API) continueServiceDeployment(ctx context.Context, in *continueServiceDeploymentInput) (*serviceDeploymentArnOutput, error) {
	ref := awsproto.Deref(in.ServiceDeploymentArn)
	if awsproto.Deref(in.HookID) == "" {
		return nil, errdefs.InvalidArgument("hookId must be specified.")
	}
	err := a.modifyServiceDeployment(ctx, ref, func(sd ecs.ServiceDeployment) (ecs.ServiceDeployment, error) {
		return ecs.ContinueHook(sd, *in.HookID, awsproto.Deref(in.Action), a.now())
	})
	if err != nil {
		return nil, err
	}
	return &serviceDeploymentArnOutput{ServiceDeploymentArn: ptr(ref)}, nil
}

// serviceDeployment reads the service deployment ref names; ErrServiceDeploymentNotFound
// when it names none.
func (a *API) serviceDeployment(ctx context.Context, ref string) (store.Item[ecs.ServiceDeployment], error) {
	if ref == "" {
		return store.Item[ecs.ServiceDeployment]{}, errdefs.InvalidArgument("serviceDeploymentArn must be specified.")
	}
	r, ok := ecs.ParseServiceChildARN(ref, "service-deployment")
	if !ok {
		return store.Item[ecs.ServiceDeployment]{}, errdefs.Detail(ecs.ErrServiceDeploymentNotFound, "The service deployment %s does not exist.", ref)
	}
	it, err := a.store.ServiceDeployments.Get(ctx, store.ServiceChildID(r.Cluster, r.Service, r.ID))
	if errors.Is(err, errdefs.ErrNotFound) || (err == nil && it.Value.ARN != ref) {
		return it, errdefs.Detail(ecs.ErrServiceDeploymentNotFound, "The service deployment %s does not exist.", ref)
	}
	return it, err
}

// modifyServiceDeployment reads the service deployment ref names, lets fn decide its next
// state and writes it at the revision read, retrying on conflicts with the deployer.
func (a *API) modifyServiceDeployment(ctx context.Context, ref string, fn func(ecs.ServiceDeployment) (ecs.ServiceDeployment, error)) error {
	for range maxServiceUpdateAttempts {
		cur, err := a.serviceDeployment(ctx, ref)
		if err != nil {
			return err
		}
		next, err := fn(cur.Value)
		if err != nil {
			return err
		}
		var txn store.Txn
		if err := a.store.ServiceDeployments.Put(&txn, cur.ID, next, cur.Revision); err != nil {
			return err
		}
		if _, err := a.store.Commit(ctx, &txn); errors.Is(err, errdefs.ErrConflict) {
			continue
		} else if err != nil {
			return err
		}
		return nil
	}
	return errdefs.Conflict("service deployment %s: too many concurrent updates", ref)
}
