package autoscalingapi

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/autoscaling"
	"github.com/fargohq/fargo/internal/store"
)

// activityStatus is the status of the one activity of a target with policies: nothing carries
// the policies out, so the scaling they ask for is never fulfilled.
const activityStatus = "Unfulfilled"

// describeScalingActivities answers what fargo does with scaling policies: nothing yet. For
// each target that has policies it lists one activity that says so, dated when the newest
// policy was put, and no other activity: no scaling happens. Targets without policies have
// none.
func (a *API) describeScalingActivities(ctx context.Context, in *describeScalingActivitiesInput) (*describeScalingActivitiesOutput, error) {
	ns, err := namespaceArg(in.ServiceNamespace)
	if err != nil {
		return nil, err
	}
	dim, err := dimensionFilter(in.ScalableDimension)
	if err != nil {
		return nil, err
	}
	targets, _, err := a.store.ScalableTargets.List(ctx, ns+"/")
	if err != nil {
		return nil, fmt.Errorf("list scalable targets: %w", err)
	}
	policies, _, err := a.store.ScalingPolicies.List(ctx, ns+"/")
	if err != nil {
		return nil, fmt.Errorf("list scaling policies: %w", err)
	}
	byTarget := map[autoscaling.TargetKey][]autoscaling.Policy{}
	for _, p := range policies {
		byTarget[p.Value.Target] = append(byTarget[p.Value.Target], p.Value)
	}
	targets = slices.DeleteFunc(targets, func(it store.Item[autoscaling.Target]) bool {
		k := it.Value.Key
		return len(byTarget[k]) == 0 || dim != "" && k.Dimension != dim || in.ResourceID != nil && k.ResourceID != *in.ResourceID
	})
	got, next, err := awsproto.Paginate(pages(50), targets, awsproto.ByKey(itemID[autoscaling.Target]), in.NextToken, in.MaxResults, 50)
	if err != nil {
		return nil, err
	}
	out := &describeScalingActivitiesOutput{ScalingActivities: []wireScalingActivity{}, NextToken: next}
	for _, it := range got {
		out.ScalingActivities = append(out.ScalingActivities, notCarriedOut(it.Value, byTarget[it.Value.Key]))
	}
	return out, nil
}

// notCarriedOut is the activity that says a target's policies are stored, not carried out.
func notCarriedOut(t autoscaling.Target, policies []autoscaling.Policy) wireScalingActivity {
	var names []string
	var newest time.Time
	h := sha256.New()
	h.Write([]byte(t.ARN))
	for _, p := range policies {
		names = append(names, p.Name)
		if p.CreatedAt.After(newest) {
			newest = p.CreatedAt
		}
		h.Write([]byte("\x00" + p.ARN))
	}
	sum := h.Sum(nil)
	end := awsproto.EpochSeconds(newest)
	return wireScalingActivity{
		ActivityID:        fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16]),
		ServiceNamespace:  t.Key.Namespace,
		ResourceID:        t.Key.ResourceID,
		ScalableDimension: t.Key.Dimension,
		Description:       fmt.Sprintf("Scaling policies of %s are stored but not carried out", t.Key.ResourceID),
		Cause:             "fargo does not carry out scaling policies yet (policies: " + strings.Join(names, ", ") + ")",
		StartTime:         awsproto.EpochSeconds(newest),
		EndTime:           &end,
		StatusCode:        activityStatus,
		StatusMessage: fmt.Sprintf("No alarm watches a metric and the desired count of %s changes only through UpdateService; "+
			"the target's range (%d to %d) is stored, not applied. See docs/autoscaling.md.", t.Key.ResourceID, t.MinCapacity, t.MaxCapacity),
	}
}
