package console

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// Deployment phases, as the deployer names them in Progress.Phase.
const (
	phaseReady     = "Ready"
	phaseTerminate = "TerminationWait"
)

type deploymentView struct {
	Deployment codedeploy.Deployment
	Cluster    string
	Service    string
	// Revisions are the task sets with their tasks, health and traffic; Green first.
	Revisions   []revisionRow
	GreenWeight int
	// Points are [unix ms, green weight] samples the chart starts from; the page adds one at
	// each update.
	Points string
	// Deadline is when the current wait ends (unix ms), 0 when nothing waits; WaitLabel says
	// what it is.
	Deadline  int64
	WaitLabel string
	// Buttons that apply now.
	CanContinue, CanTerminate, CanStop bool
}

func (c *Console) deploymentPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	v, err := c.deploymentView(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	c.render(w, r, sess, http.StatusOK, "deployment", "Deployment "+v.Deployment.ID, v)
	return nil
}

func (c *Console) deploymentView(r *http.Request, id string) (deploymentView, error) {
	if err := codedeploy.CheckDeploymentID(id); err != nil {
		return deploymentView{}, in("codedeploy", err)
	}
	it, err := c.deps.Store.Deployments.Get(r.Context(), id)
	if err != nil {
		return deploymentView{}, in("codedeploy", notFound(err, codedeploy.ErrDeploymentNotFound, "The deployment "+id+" does not exist."))
	}
	d := it.Value
	v := deploymentView{Deployment: d, Cluster: d.ECSService.ClusterName, Service: d.ECSService.ServiceName, GreenWeight: d.Progress.GreenWeight}
	if err := c.deploymentRevisions(r, &v); err != nil {
		return deploymentView{}, err
	}
	v.Points = chartPoints(d)
	c.deploymentWait(&v)
	running := d.Status == codedeploy.StatusInProgress || d.Status == codedeploy.StatusReady
	v.CanContinue = running && d.Progress.Phase == phaseReady && !d.ContinueReady
	v.CanTerminate = running && d.Progress.Phase == phaseTerminate && !d.SkipTerminationWait
	v.CanStop = !d.Status.Done() && !d.StopRequested
	return v, nil
}

// deploymentRevisions fills in the task sets the deployment reports, with the tasks of each
// as the service's page counts them.
func (c *Console) deploymentRevisions(r *http.Request, v *deploymentView) error {
	svc, err := c.deps.Store.Services.Get(r.Context(), store.ServiceID(v.Cluster, v.Service))
	if err != nil && !errors.Is(err, errdefs.ErrNotFound) {
		return err
	}
	tasks, err := c.tasks(r, v.Cluster+"/")
	if err != nil {
		return err
	}
	tasks = slices.DeleteFunc(tasks, func(t ecs.Task) bool { return t.ServiceName != v.Service })
	rows := revisionsOf(svc.Value, tasks)
	for _, info := range v.Deployment.TaskSets {
		i := slices.IndexFunc(rows, func(row revisionRow) bool { return row.ID == info.ID })
		row := revisionRow{ID: info.ID, Status: info.Status, Desired: info.DesiredCount}
		if i >= 0 {
			row = rows[i]
		}
		row.Label, row.Weight, row.HasWeight = info.Label, info.TrafficWeight, true
		v.Revisions = append(v.Revisions, row)
	}
	slices.SortStableFunc(v.Revisions, func(a, b revisionRow) int {
		return boolRank(a.Label != codedeploy.LabelGreen) - boolRank(b.Label != codedeploy.LabelGreen)
	})
	return nil
}

// chartPoints are where the weight chart starts: no traffic on the replacement when the
// deployment started, and the weight it has now.
func chartPoints(d codedeploy.Deployment) string {
	start := d.StartTime
	if start.IsZero() {
		start = d.CreateTime
	}
	points := [][2]int64{{start.UnixMilli(), 0}}
	if !d.Progress.PhaseSince.IsZero() {
		points = append(points, [2]int64{d.Progress.PhaseSince.UnixMilli(), int64(d.Progress.GreenWeight)})
	}
	b, _ := json.Marshal(points)
	return string(b)
}

// deploymentWait sets the deadline of the ready or termination wait the deployment is in.
func (c *Console) deploymentWait(v *deploymentView) {
	d := v.Deployment
	if d.Status.Done() {
		return
	}
	var minutes int
	switch d.Progress.Phase {
	case phaseReady:
		minutes, v.WaitLabel = d.BlueGreen.ReadyWaitMinutes, "Ready wait: traffic stays on the original task set until you continue, or for"
	case phaseTerminate:
		minutes, v.WaitLabel = d.BlueGreen.TerminationWaitMinutes, "The original task set is terminated in"
	default:
		return
	}
	v.Deadline = d.Progress.PhaseSince.Add(time.Duration(minutes) * c.cfg.Minute).UnixMilli()
}
