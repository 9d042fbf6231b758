package codedeployapi

import (
	"crypto/rand"
	"fmt"
	"io"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/store"
)

// TargetPrefix is the X-Amz-Target prefix of CodeDeploy requests.
const TargetPrefix = "CodeDeploy_20141006"

// defaultPageSize is how many names a List call returns at most, as CodeDeploy does.
const defaultPageSize = 100

// API serves CodeDeploy operations over a store.
type API struct {
	store    *store.Store
	scope    arn.Scope
	now      func() time.Time
	random   io.Reader
	pageSize int
}

// Option configures an API.
type Option func(*API)

// WithRandom makes the API draw ids from r instead of crypto/rand, so that tests can predict
// them. r must be safe for concurrent use.
func WithRandom(r io.Reader) Option { return func(a *API) { a.random = r } }

// WithPageSize sets how many names a List call returns at most, so that tests can page
// through a few objects.
func WithPageSize(n int) Option { return func(a *API) { a.pageSize = n } }

// New returns the CodeDeploy API over st, naming resources in scope. now is the clock.
func New(st *store.Store, scope arn.Scope, now func() time.Time, opts ...Option) *API {
	if now == nil {
		now = time.Now
	}
	a := &API{store: st, scope: scope, now: now, random: rand.Reader, pageSize: defaultPageSize}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Service describes the CodeDeploy endpoint for the front door.
func (a *API) Service() awsproto.Service {
	return awsproto.Service{
		Name:         "codedeploy",
		SigningName:  "codedeploy",
		Protocol:     awsproto.ProtocolJSON,
		TargetPrefix: TargetPrefix,
		Operations:   a.operations(),
		ErrorFor:     errorFor,
		ClientError:  "InvalidInputException",
		Targets:      targets,
	}
}

func (a *API) operations() map[string]awsproto.Handler {
	return map[string]awsproto.Handler{
		"CreateApplication":           awsproto.JSON(a.createApplication),
		"GetApplication":              awsproto.JSON(a.getApplication),
		"ListApplications":            awsproto.JSON(a.listApplications),
		"BatchGetApplications":        awsproto.JSON(a.batchGetApplications),
		"DeleteApplication":           awsproto.JSON(a.deleteApplication),
		"CreateDeploymentConfig":      awsproto.JSON(a.createDeploymentConfig),
		"GetDeploymentConfig":         awsproto.JSON(a.getDeploymentConfig),
		"ListDeploymentConfigs":       awsproto.JSON(a.listDeploymentConfigs),
		"DeleteDeploymentConfig":      awsproto.JSON(a.deleteDeploymentConfig),
		"CreateDeploymentGroup":       awsproto.JSON(a.createDeploymentGroup),
		"GetDeploymentGroup":          awsproto.JSON(a.getDeploymentGroup),
		"UpdateDeploymentGroup":       awsproto.JSON(a.updateDeploymentGroup),
		"ListDeploymentGroups":        awsproto.JSON(a.listDeploymentGroups),
		"BatchGetDeploymentGroups":    awsproto.JSON(a.batchGetDeploymentGroups),
		"DeleteDeploymentGroup":       awsproto.JSON(a.deleteDeploymentGroup),
		"CreateDeployment":            awsproto.JSON(a.createDeployment),
		"GetDeployment":               awsproto.JSON(a.getDeployment),
		"BatchGetDeployments":         awsproto.JSON(a.batchGetDeployments),
		"ListDeployments":             awsproto.JSON(a.listDeployments),
		"StopDeployment":              awsproto.JSON(a.stopDeployment),
		"ContinueDeployment":          awsproto.JSON(a.continueDeployment),
		"ListDeploymentTargets":       awsproto.JSON(a.listDeploymentTargets),
		"BatchGetDeploymentTargets":   awsproto.JSON(a.batchGetDeploymentTargets),
		"GetDeploymentTarget":         awsproto.JSON(a.getDeploymentTarget),
		"RegisterApplicationRevision": awsproto.JSON(a.registerApplicationRevision),
		"GetApplicationRevision":      awsproto.JSON(a.getApplicationRevision),
		"ListApplicationRevisions":    awsproto.JSON(a.listApplicationRevisions),

		"PutLifecycleEventHookExecutionStatus": awsproto.JSON(a.putLifecycleEventHookExecutionStatus),
	}
}

// newUUID returns a random version 4 UUID, the form of CodeDeploy's application, group and
// configuration ids.
func (a *API) newUUID() (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(a.random, b[:]); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:]), nil
}

// newDeploymentID returns a random deployment id.
func (a *API) newDeploymentID() (string, error) {
	var b [9]byte
	if _, err := io.ReadFull(a.random, b[:]); err != nil {
		return "", fmt.Errorf("random deployment id: %w", err)
	}
	return codedeploy.DeploymentIDFrom(b), nil
}

// ecsServiceARN is the ARN of the ECS service a deployment targets.
func (a *API) ecsServiceARN(s codedeploy.ECSService) string {
	return a.scope.New("ecs", "service/"+s.ClusterName+"/"+s.ServiceName).String()
}
