package codedeploy

import (
	"time"
	"unicode/utf8"

	"github.com/fargohq/fargo/internal/errdefs"
)

// idAlphabet is what the 9 characters after "d-" of a deployment id are drawn from.
const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// idLength is the number of characters after "d-".
const idLength = 9

// maxDescription is the longest description CodeDeploy takes.
const maxDescription = 512

// CreatorUser is the creator of a deployment that CreateDeployment started, the only kind
// fargo makes.
const CreatorUser = "user"

// Wait types of ContinueDeployment.
const (
	WaitReady       = "READY_WAIT"
	WaitTermination = "TERMINATION_WAIT"
)

// DeploymentIDFrom returns a deployment id made from random bytes: "d-" and 9 upper-case
// letters and digits. It uses the first 9 bytes of random.
func DeploymentIDFrom(random [idLength]byte) string {
	b := make([]byte, 0, 2+idLength)
	b = append(b, "d-"...)
	for _, r := range random {
		b = append(b, idAlphabet[int(r)%len(idAlphabet)])
	}
	return string(b)
}

// CheckDeploymentID checks the form of a deployment id.
func CheckDeploymentID(id string) error {
	if id == "" {
		return ErrDeploymentIDRequired
	}
	if len(id) != 2+idLength || id[:2] != "d-" {
		return errdefs.Detail(ErrInvalidDeploymentID, "The deployment ID %q is invalid: deployment IDs are d- and 9 upper-case letters and digits.", id)
	}
	for i := 2; i < len(id); i++ {
		if !isIDChar(id[i]) {
			return errdefs.Detail(ErrInvalidDeploymentID, "The deployment ID %q is invalid: deployment IDs are d- and 9 upper-case letters and digits.", id)
		}
	}
	return nil
}

func isIDChar(c byte) bool { return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }

// DeploymentRequest is what CreateDeployment asks for beyond the group's settings.
type DeploymentRequest struct {
	ID          string
	Now         time.Time
	Revision    Revision
	Description string
	// AutoRollback replaces the group's when OverrideAutoRollback is set.
	AutoRollback         AutoRollback
	OverrideAutoRollback bool
	// PreviousRevision is the revision of the group's last successful deployment, if any.
	PreviousRevision *Revision
}

// NewDeployment returns a new deployment of req to group g with configuration cfg: status
// Created, the group's settings copied in, the lifecycle events Pending, and the revision with
// its sha256, as GetDeployment and the application's revisions report it.
func NewDeployment(g DeploymentGroup, cfg DeploymentConfig, req DeploymentRequest) (Deployment, error) {
	if utf8.RuneCountInString(req.Description) > maxDescription {
		return Deployment{}, ErrDescriptionTooLong
	}
	spec, err := CheckRevision(req.Revision)
	if err != nil {
		return Deployment{}, err
	}
	req.Revision.SHA256 = ContentSHA256(req.Revision.Content)
	rollback := g.AutoRollback
	if req.OverrideAutoRollback {
		if err := req.AutoRollback.Check(); err != nil {
			return Deployment{}, err
		}
		rollback = req.AutoRollback
	}
	d := Deployment{
		ID: req.ID, ApplicationName: g.ApplicationName, DeploymentGroupName: g.Name,
		DeploymentConfigName: cfg.Name, Status: StatusCreated, Creator: CreatorUser,
		Description: req.Description, CreateTime: req.Now, Revision: req.Revision,
		PreviousRevision: req.PreviousRevision, AppSpec: spec, TrafficRouting: cfg.TrafficRouting,
		BlueGreen: g.BlueGreen, AutoRollback: rollback, Alarms: g.Alarms,
	}
	if len(g.ECSServices) > 0 {
		d.ECSService = g.ECSServices[0]
	}
	if len(g.TargetGroupPairs) > 0 {
		d.Pair = g.TargetGroupPairs[0]
	}
	for _, name := range LifecycleEventNames {
		d.Events = append(d.Events, LifecycleEvent{Name: name, Status: EventPending})
	}
	return d, nil
}

// RequestStop asks the deployer to stop d, rolling back if rollback is set.
func (d *Deployment) RequestStop(rollback bool) error {
	if d.Status.Done() {
		return ErrDeploymentCompleted
	}
	d.StopRequested, d.StopWithRollback = true, rollback
	return nil
}

// RequestContinue asks the deployer to end a wait: READY_WAIT (the default) shifts traffic to
// a Ready deployment, TERMINATION_WAIT deletes the original task set without waiting longer.
func (d *Deployment) RequestContinue(waitType string) error {
	if waitType == "" {
		waitType = WaitReady
	}
	if waitType != WaitReady && waitType != WaitTermination {
		return errdefs.Detail(ErrInvalidDeploymentWaitType, "The wait type %q is invalid: use READY_WAIT or TERMINATION_WAIT.", waitType)
	}
	if d.Status.Done() {
		return ErrDeploymentCompleted
	}
	if waitType == WaitReady {
		if d.Status != StatusReady {
			return ErrDeploymentNotReady
		}
		d.ContinueReady = true
		return nil
	}
	if !d.Progress.TerminationWaitStarted {
		return errdefs.Detail(ErrDeploymentNotReady, "The deployment is not waiting to terminate the original task set.")
	}
	d.SkipTerminationWait = true
	return nil
}

// Target statuses of the one ECS target of a deployment.
const (
	TargetPending    = "Pending"
	TargetInProgress = "InProgress"
	TargetReady      = "Ready"
	TargetSucceeded  = "Succeeded"
	TargetFailed     = "Failed"
)

// TargetStatus is the status of the deployment's ECS target. A stopped deployment's target
// counts as Failed: it did not get the revision.
func (d Deployment) TargetStatus() string {
	switch d.Status {
	case StatusInProgress:
		return TargetInProgress
	case StatusReady:
		return TargetReady
	case StatusSucceeded:
		return TargetSucceeded
	case StatusFailed, StatusStopped:
		return TargetFailed
	}
	return TargetPending
}
