package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"

	"golang.org/x/sync/errgroup"

	"github.com/fargohq/fargo/internal/agent"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/ecrapi"
	"github.com/fargohq/fargo/internal/api/elbapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/deployer"
	"github.com/fargohq/fargo/internal/logstore"
	"github.com/fargohq/fargo/internal/registry"
	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/scheduler"
	"github.com/fargohq/fargo/internal/store"
)

// regionDeps are what every region's services and controllers share with the home region's.
type regionDeps struct {
	cfg    Config
	log    *slog.Logger
	root   *store.Store
	drv    runtime.Driver
	nodeID string
	elbCfg elbapi.Config
	// iam is the global IAM service, the same in every region.
	iam awsproto.Service
	// secret looks up access keys' secrets, for registry tokens.
	secret func(accessKeyID string) (string, bool)
	az     *authorizer
	// registryHost names the registry in repository URIs.
	registryHost func() string
	// controllers adds the region's controllers that depend on how the server runs (lbsync in
	// the server with an embedded data plane); nil adds none.
	controllers func(name string, st *store.Store) []func(context.Context) error
}

// regionDir is where a region other than the home region keeps its files (registry storage,
// log events), apart from the home region's, so that each region's cleanup sees only its own.
func regionDir(dataDir, name string) string { return filepath.Join(dataDir, "regions", name) }

// openRegion builds the services and controllers of region name, a region other than the
// home region, over its store view: the same parts as the home region's, in its scope.
func (d regionDeps) openRegion(name string) (*region, error) {
	st := d.root.In(name)
	scope := arn.Scope{Partition: "aws", Region: name, AccountID: d.cfg.AccountID}
	log := d.log.With("region", name)
	dir := regionDir(d.cfg.DataDir, name)
	reg, err := registry.New(registry.Config{RootDir: filepath.Join(dir, "registry"), Region: name}, registry.Deps{
		Store: st, Credentials: d.secret, RegistryID: d.cfg.AccountID, Logger: log.With("component", "registry"),
		Authorize: d.az.RegistryIn(name),
	})
	if err != nil {
		return nil, err
	}
	ecrAPI := ecrapi.New(scope, ecrapi.Config{RegistryHost: d.registryHost(), TokenRegion: name}, ecrapi.Deps{Store: st, Images: reg, Credentials: d.secret})
	events, err := logstore.Open(logstore.Config{Dir: filepath.Join(dir, "logs")})
	if err != nil {
		return nil, fmt.Errorf("log events: %w", err)
	}
	apis := newConsoleAPIs(st, scope, d.elbCfg, ecrAPI, reg, d.drv)
	ctrls, err := d.regionControllers(name, st, scope, log)
	if err != nil {
		return nil, err
	}
	ctrls = append(ctrls, reg.Run, logstore.NewSweeper(st, events, logstore.SweepConfig{}, log).Run)
	return &region{
		name:     name,
		registry: reg,
		services: apiServices(apis, d.iam, st, scope, logSource{d.drv}, events),
		run: func(ctx context.Context) error {
			g, ctx := errgroup.WithContext(ctx)
			for _, run := range ctrls {
				g.Go(func() error { return run(ctx) })
			}
			return g.Wait()
		},
	}, nil
}

// regionControllers builds the scheduler, the deployer and this node's agent of a region.
// The agent serves the task metadata endpoint of the region's tasks on a port of its own.
func (d regionDeps) regionControllers(name string, st *store.Store, scope arn.Scope, log *slog.Logger) ([]func(context.Context) error, error) {
	sched := scheduler.New(st, scope, scheduler.Config{}, log.With("component", "scheduler"))
	deploy := deployer.New(st, scope, deployer.Config{Minute: d.cfg.Minute()}, log.With("component", "deployer"))
	metaLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("task metadata endpoint: %w", err)
	}
	ag, err := agent.New(st, d.drv, scope, metaLn, agent.Config{
		NodeID: d.nodeID, Region: name, OtherRegion: true, RegistryAuth: ownRegistryAuth(d.cfg.DataDir, d.registryHost, name),
	}, log)
	if err != nil {
		_ = metaLn.Close()
		return nil, err
	}
	ctrls := []func(context.Context) error{sched.Run, deploy.Run, func(ctx context.Context) error {
		defer metaLn.Close()
		return ag.Run(ctx)
	}}
	if d.controllers != nil {
		ctrls = append(ctrls, d.controllers(name, st)...)
	}
	return ctrls, nil
}
