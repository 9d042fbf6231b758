package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"golang.org/x/sync/errgroup"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/ecrapi"
	"github.com/fargohq/fargo/internal/api/elbapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/logstore"
	"github.com/fargohq/fargo/internal/registry"
	"github.com/fargohq/fargo/internal/store"
)

// regionDeps are what every region's services and controllers share with the home region's.
type regionDeps struct {
	cfg  Config
	log  *slog.Logger
	root *store.Store
	// node runs the node's agents, one per region, and reads container output.
	node   *localNode
	elbCfg elbapi.Config
	// iam is the global IAM service, the same in every region.
	iam awsproto.Service
	// secret looks up access keys' secrets, for registry tokens.
	secret func(accessKeyID string) (string, bool)
	az     *authorizer
	// registryHost names the registry in repository URIs.
	registryHost func() string
	// audit records registry requests in the audit log.
	audit func(registry.Access)
	// cloudWatch gives a region's CloudWatch API its metrics.
	cloudWatch func(arn.Scope) cloudWatchDeps
}

// regionDir is where a region other than the home region keeps its files (registry storage,
// log events), apart from the home region's, so that each region's cleanup sees only its own.
func regionDir(dataDir, name string) string { return filepath.Join(dataDir, "regions", name) }

// regionRegistryDir is where the registry of region name keeps its images: in the region's
// directory, or under the shared registry directory when the server was given one.
func regionRegistryDir(cfg Config, name string) string {
	if cfg.RegistryDir != filepath.Join(cfg.DataDir, "registry") {
		return filepath.Join(cfg.RegistryDir, "regions", name)
	}
	return filepath.Join(regionDir(cfg.DataDir, name), "registry")
}

// openRegion builds the services of region name, a region other than the home region, over
// its store view: the same parts as the home region's, in its scope. It hands the region to
// the node, which runs an agent for it; the region's controllers that must run once per store
// (scheduler, deployer, hook runner, liveness) run in the controllers' term, which finds the
// region in the store's record (controllers.term). What the region runs here are the
// controllers of this server's own files: its registry's lifecycle runs and its log sweeper.
func (d regionDeps) openRegion(name string) (*region, error) {
	st := d.root.In(name)
	scope := arn.Scope{Partition: "aws", Region: name, AccountID: d.cfg.AccountID}
	log := d.log.With("region", name)
	dir := regionDir(d.cfg.DataDir, name)
	reg, err := registry.New(registry.Config{RootDir: regionRegistryDir(d.cfg, name), Region: name}, registry.Deps{
		Store: st, Credentials: d.secret, RegistryID: d.cfg.AccountID, Logger: log.With("component", "registry"),
		Authorize: d.az.RegistryIn(name), Audit: d.audit,
	})
	if err != nil {
		return nil, err
	}
	ecrAPI := ecrapi.New(scope, ecrapi.Config{RegistryHost: d.registryHost(), TokenRegion: name}, ecrapi.Deps{Store: st, Images: reg, Credentials: d.secret})
	events, err := logstore.Open(logstore.Config{Dir: filepath.Join(dir, "logs")})
	if err != nil {
		return nil, fmt.Errorf("log events: %w", err)
	}
	apis := newConsoleAPIs(st, scope, d.elbCfg, ecrAPI, reg, d.node)
	d.node.AddRegion(nodeRegion{name: name, st: st, scope: scope})
	ctrls := []func(context.Context) error{reg.Run, logstore.NewSweeper(st, events, logstore.SweepConfig{}, log).Run}
	return &region{
		name:     name,
		registry: reg,
		services: apiServices(apis, d.iam, st, scope, logSource{d.node}, events, d.cloudWatch(scope)),
		run: func(ctx context.Context) error {
			g, ctx := errgroup.WithContext(ctx)
			for _, run := range ctrls {
				g.Go(func() error { return run(ctx) })
			}
			return g.Wait()
		},
	}, nil
}
