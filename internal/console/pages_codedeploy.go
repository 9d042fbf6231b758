package console

import (
	"net/http"
	"slices"
	"strings"

	"github.com/fargohq/fargo/internal/codedeploy"
)

type applicationRow struct {
	Application codedeploy.Application
	Groups      []codedeploy.DeploymentGroup
}

type codeDeployView struct {
	Applications []applicationRow
	Configs      []codedeploy.DeploymentConfig
	Deployments  []codedeploy.Deployment
}

func (c *Console) codeDeployPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	ctx := r.Context()
	apps, _, err := c.deps.Store.Applications.List(ctx, "")
	if err != nil {
		return err
	}
	groups, _, err := c.deps.Store.DeploymentGroups.List(ctx, "")
	if err != nil {
		return err
	}
	var v codeDeployView
	for _, app := range values(apps) {
		row := applicationRow{Application: app}
		for _, g := range values(groups) {
			if g.ApplicationName == app.Name {
				row.Groups = append(row.Groups, g)
			}
		}
		v.Applications = append(v.Applications, row)
	}
	if v.Configs, err = c.deploymentConfigs(r); err != nil {
		return err
	}
	if v.Deployments, err = c.deploymentsOf(r, ""); err != nil {
		return err
	}
	c.render(w, r, sess, http.StatusOK, "codedeploy", "CodeDeploy", v)
	return nil
}

// deploymentConfigs are the ECS deployment configurations: the predefined ones, then those
// users created.
func (c *Console) deploymentConfigs(r *http.Request) ([]codedeploy.DeploymentConfig, error) {
	var out []codedeploy.DeploymentConfig
	for _, cfg := range codedeploy.PredefinedConfigs() {
		if cfg.ComputePlatform == codedeploy.PlatformECS {
			out = append(out, cfg)
		}
	}
	custom, _, err := c.deps.Store.DeploymentConfigs.List(r.Context(), "")
	if err != nil {
		return nil, err
	}
	for _, cfg := range values(custom) {
		if cfg.ComputePlatform == codedeploy.PlatformECS {
			out = append(out, cfg)
		}
	}
	return out, nil
}

// configNames are the names of the ECS deployment configurations, canary ones first as the
// seed picks one.
func configNames(cfgs []codedeploy.DeploymentConfig) []string {
	names := make([]string, len(cfgs))
	for i, cfg := range cfgs {
		names[i] = cfg.Name
	}
	slices.SortStableFunc(names, func(a, b string) int {
		return boolRank(!strings.Contains(a, "Canary")) - boolRank(!strings.Contains(b, "Canary"))
	})
	return names
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
