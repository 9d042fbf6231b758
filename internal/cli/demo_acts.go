package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/loadtest"
)

// demoBrokenEnv makes v3 a broken release: a typo in its settings (a duration without a unit)
// makes the app exit at start, so its tasks never serve and the circuit breaker trips.
var demoBrokenEnv = []string{"VERSION=v3", "STARTUP_DELAY=3"}

// demoDeployTimeout bounds each of the demo's deployments.
const demoDeployTimeout = 5 * time.Minute

// deployOptions are fargo deploy's options for the demo's deployment of env to service.
func (d *demoRun) deployOptions(service string, env []string) deployOptions {
	return deployOptions{cluster: demoCluster, service: service, taskDefFile: d.stack.taskDefFile, env: env,
		wait: true, timeout: demoDeployTimeout, interval: 500 * time.Millisecond}
}

// canary deploys v2 to the CODE_DEPLOY service under load, as fargo deploy does: CodeDeploy
// moves 10% of the traffic to the replacement task set, then after five (scaled) minutes the
// rest. fargo deploy shows the lifecycle events and each task set's share; the load shows
// which versions answered.
func (d *demoRun) canary(ctx context.Context) error {
	d.out.line("canary: fargo deploy --cluster %s --service %s --env VERSION=v2 (%s), under %d requests/s to %s",
		demoCluster, demoCanaryService, demoCanaryConfig, d.o.rate, d.stack.canaryURL)
	load := startDemoLoad(d.stack.canaryURL, d.o.rate, d.out)
	err := deploy(ctx, d.deployOptions(demoCanaryService, []string{"VERSION=v2"}), d.c.ecs, d.c.codedeploy, nil, d.out)
	res, loadErr := load.stop()
	if err = errors.Join(err, loadErr); err != nil {
		return fmt.Errorf("canary: %w", err)
	}
	d.recordPids()
	d.loadPhase("canary", res, "v1 → v2: 10% for five scaled minutes, then 100%")
	return nil
}

// broken deploys v3, which exits at start, to the rolling service under load. Its tasks never
// pass a health check, so they get no traffic; the deployment circuit breaker fails the
// deployment and rolls back to v1, which the demo follows until it completed.
func (d *demoRun) broken(ctx context.Context) error {
	d.out.line("broken: fargo deploy --cluster %s --service %s --env VERSION=v3 --env STARTUP_DELAY=3 (a typo: no unit, so the app exits at start), under %d requests/s to %s",
		demoCluster, demoRollingService, d.o.rate, d.stack.rollingURL)
	load := startDemoLoad(d.stack.rollingURL, d.o.rate, d.out)
	err := d.rolledBack(ctx)
	res, loadErr := load.stop()
	if err = errors.Join(err, loadErr); err != nil {
		return fmt.Errorf("broken: %w", err)
	}
	d.loadPhase("broken", res, "v1 → v3, which exits at start: the circuit breaker rolled back to v1")
	return nil
}

// rolledBack deploys the broken version and checks that it was rolled back: the deploy fails,
// and the service's deployment is one of v1 again, which it waits for to complete.
func (d *demoRun) rolledBack(ctx context.Context) error {
	o := d.deployOptions(demoRollingService, demoBrokenEnv)
	deployErr := deploy(ctx, o, d.c.ecs, d.c.codedeploy, nil, d.out)
	if deployErr == nil {
		return errors.New("the broken version was deployed: it was not rolled back")
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	svc, err := describeService(ctx, d.c.ecs, demoCluster, demoRollingService)
	if err != nil {
		return err
	}
	rollback := primaryID(&svc)
	if td := primaryTaskDefinition(svc); td != d.stack.v1ARN {
		return fmt.Errorf("after the broken deployment the service deploys %s, not v1 (%s): %w", td, d.stack.v1ARN, deployErr)
	}
	d.out.line("broken: rolled back automatically (%v); following the rollback deployment %s", deployErr, rollback)
	if err := waitDeployment(ctx, d.c.ecs, o, rollback, d.out); err != nil {
		return fmt.Errorf("the rollback deployment %s: %w", rollback, err)
	}
	d.recordPids()
	d.out.line("broken: rollback deployment %s completed: v1 serves again", rollback)
	return nil
}

// loadPhase records an act under load; a failed request is reported, and fails the demo at
// its end (failures).
func (d *demoRun) loadPhase(name string, res loadtest.Result, note string) {
	d.phases = append(d.phases, demoPhase{name: name, took: d.sinceLast(), load: true, requests: res.Requests(), failed: res.Failed(), note: note})
	d.out.status(nil) // the act is over: its deployment's status block goes
	var byVersion []string
	for _, v := range slices.Sorted(maps.Keys(res.Revisions)) {
		byVersion = append(byVersion, fmt.Sprintf("%s %d", cmp.Or(v, "(no version)"), res.Revisions[v]))
	}
	d.out.line("%s: %d requests, %d failed (answered by %s)", name, res.Requests(), res.Failed(), strings.Join(byVersion, ", "))
}

// failures is the demo's verdict on its load: an error when any request failed.
func (d *demoRun) failures() error {
	var failed int64
	for _, p := range d.phases {
		failed += p.failed
	}
	if failed > 0 {
		return fmt.Errorf("%d requests failed", failed)
	}
	return nil
}

// primaryTaskDefinition is the task definition of the service's PRIMARY deployment.
func primaryTaskDefinition(s types.Service) string {
	for _, d := range s.Deployments {
		if aws.ToString(d.Status) == "PRIMARY" {
			return aws.ToString(d.TaskDefinition)
		}
	}
	return ""
}
