package daemon

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/codedeployapi"
	"github.com/fargohq/fargo/internal/api/ecrapi"
	"github.com/fargohq/fargo/internal/api/ecsapi"
	"github.com/fargohq/fargo/internal/api/elbapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/console"
	"github.com/fargohq/fargo/internal/registry"
	"github.com/fargohq/fargo/internal/store"
)

// consoleAPIs are the API packages whose operations the console performs.
type consoleAPIs struct {
	ecs        *ecsapi.API
	elb        *elbapi.API
	codedeploy *codedeployapi.API
	ecr        *ecrapi.API
	images     *registry.Registry
	// logs is the node's runtime driver, which has the containers' output.
	logs console.ContainerLogs
	// services answer the AWS error code of an error, by the console's service names.
	services map[string]awsproto.Service
}

// newConsoleAPIs builds the API objects the console and the front door share.
func newConsoleAPIs(st *store.Store, scope arn.Scope, elbCfg elbapi.Config, ecrAPI *ecrapi.API, images *registry.Registry, logs console.ContainerLogs) consoleAPIs {
	apis := consoleAPIs{
		ecs: ecsapi.New(st, scope, time.Now), codedeploy: codedeployapi.New(st, scope, time.Now), ecr: ecrAPI, images: images, logs: logs,
		elb: elbapi.New(st, scope, time.Now, elbCfg),
	}
	apis.services = map[string]awsproto.Service{"ecs": apis.ecs.Service(), "elb": apis.elb.Service(), "codedeploy": apis.codedeploy.Service(), "ecr": ecrAPI.Service()}
	return apis
}

// buildConsole builds the web console over the same API objects the front door serves, and
// serves it at / on mux.
func buildConsole(mux *http.ServeMux, st *store.Store, scope arn.Scope, cfg Config, ids consoleIdentity, apis consoleAPIs, log *slog.Logger) (*console.Console, error) {
	c, err := console.New(console.Config{Scope: scope, Minute: cfg.Minute()}, console.Deps{
		Store:      st,
		Keys:       ids.Key,
		Authorizer: ids,
		Actions: console.Actions{
			ECS: apis.ecs, ELB: apis.elb, CodeDeploy: apis.codedeploy, ECR: apis.ecr,
		},
		Images: apis.images,
		Logs:   apis.logs,
		ErrorCode: func(service string, err error) string {
			if s, ok := apis.services[service]; ok {
				return s.ErrorFor("", err).Code
			}
			return ""
		},
		// Console actions carry the signed-in principal as API calls carry theirs, so what they
		// create names its creator alike.
		WithPrincipal: func(ctx context.Context, p console.Principal) context.Context {
			return awsproto.WithCaller(ctx, awsproto.Caller{AccessKeyID: p.AccessKeyID, ARN: p.ARN, AccountID: cfg.AccountID, Region: cfg.Region})
		},
		Logger: log.With("component", "console"),
	})
	if err != nil {
		return nil, err
	}
	mux.Handle("/", c)
	return c, nil
}
