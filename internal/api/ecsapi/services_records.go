package ecsapi

import (
	"slices"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

// putDeploymentRecords adds to txn, which writes next over prev, the records ECS creates with
// the request for an ECS-controller service: the service revision of each deployment next has
// and prev had not, and the service deployment of a new PRIMARY deployment that rolls nothing
// back. The deployment IDs are new, so the records must not exist (rev 0). DescribeServiceDeployments
// of the currentServiceDeployment the request answers with then finds it at once; the deployer
// records only the deployments the scheduler starts (circuit breaker rollbacks).
func (a *API) putDeploymentRecords(txn *store.Txn, prev, next ecs.Service) error {
	if next.DeploymentController != ecs.ControllerECS {
		return nil
	}
	scope, now := a.scope, a.now()
	for _, d := range next.Deployments {
		if slices.ContainsFunc(prev.Deployments, func(p ecs.Deployment) bool { return p.ID == d.ID }) {
			continue
		}
		revID := store.ServiceChildID(next.ClusterName, next.Name, ecs.ServiceRevisionID(d.ID))
		if err := a.store.ServiceRevisions.Put(txn, revID, ecs.NewServiceRevision(scope, next, d), 0); err != nil {
			return err
		}
		if d.Status != ecs.DeploymentPrimary || d.RollbackOf != "" {
			continue
		}
		sdID := store.ServiceChildID(next.ClusterName, next.Name, ecs.ServiceDeploymentID(d.ID))
		if err := a.store.ServiceDeployments.Put(txn, sdID, ecs.NewServiceDeployment(scope, next, d, now), 0); err != nil {
			return err
		}
	}
	return nil
}
