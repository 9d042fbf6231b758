package codedeployapi

import (
	"context"
	"errors"
	"slices"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/errdefs"
)

type createDeploymentConfigInput struct {
	DeploymentConfigName *string                   `json:"deploymentConfigName"`
	MinimumHealthyHosts  *wireMinimumHealthyHosts  `json:"minimumHealthyHosts"`
	TrafficRoutingConfig *wireTrafficRoutingConfig `json:"trafficRoutingConfig"`
	ComputePlatform      *string                   `json:"computePlatform"`
}

type createDeploymentConfigOutput struct {
	DeploymentConfigID *string `json:"deploymentConfigId,omitempty"`
}

type deploymentConfigNameInput struct {
	DeploymentConfigName *string `json:"deploymentConfigName"`
}

type getDeploymentConfigOutput struct {
	DeploymentConfigInfo *wireDeploymentConfigInfo `json:"deploymentConfigInfo,omitempty"`
}

type listDeploymentConfigsInput struct {
	NextToken *string `json:"nextToken"`
}

type listDeploymentConfigsOutput struct {
	DeploymentConfigsList []string `json:"deploymentConfigsList"`
	NextToken             *string  `json:"nextToken,omitempty"`
}

// wireDeploymentConfigInfo is the model's DeploymentConfigInfo.
type wireDeploymentConfigInfo struct {
	DeploymentConfigID   *string                   `json:"deploymentConfigId,omitempty"`
	DeploymentConfigName *string                   `json:"deploymentConfigName,omitempty"`
	MinimumHealthyHosts  *wireMinimumHealthyHosts  `json:"minimumHealthyHosts,omitempty"`
	CreateTime           *epochSeconds             `json:"createTime,omitempty"`
	ComputePlatform      *string                   `json:"computePlatform,omitempty"`
	TrafficRoutingConfig *wireTrafficRoutingConfig `json:"trafficRoutingConfig,omitempty"`
}

// wireMinimumHealthyHosts is the model's MinimumHealthyHosts, of the Server platform: read
// only to refuse it.
type wireMinimumHealthyHosts struct {
	Type  *string `json:"type,omitempty"`
	Value int32   `json:"value"`
}

// wireTrafficRoutingConfig is the model's TrafficRoutingConfig.
type wireTrafficRoutingConfig struct {
	Type            *string              `json:"type,omitempty"`
	TimeBasedCanary *wireTimeBasedCanary `json:"timeBasedCanary,omitempty"`
	TimeBasedLinear *wireTimeBasedLinear `json:"timeBasedLinear,omitempty"`
}

// wireTimeBasedCanary is the model's TimeBasedCanary.
type wireTimeBasedCanary struct {
	CanaryPercentage int32 `json:"canaryPercentage"`
	CanaryInterval   int32 `json:"canaryInterval"`
}

// wireTimeBasedLinear is the model's TimeBasedLinear.
type wireTimeBasedLinear struct {
	LinearPercentage int32 `json:"linearPercentage"`
	LinearInterval   int32 `json:"linearInterval"`
}

func routingFromWire(in *wireTrafficRoutingConfig) codedeploy.TrafficRouting {
	if in == nil {
		return codedeploy.TrafficRouting{}
	}
	r := codedeploy.TrafficRouting{Type: awsproto.Deref(in.Type)}
	switch {
	case r.Type == codedeploy.RoutingCanary && in.TimeBasedCanary != nil:
		r.Percentage, r.IntervalMinutes = int(in.TimeBasedCanary.CanaryPercentage), int(in.TimeBasedCanary.CanaryInterval)
	case r.Type == codedeploy.RoutingLinear && in.TimeBasedLinear != nil:
		r.Percentage, r.IntervalMinutes = int(in.TimeBasedLinear.LinearPercentage), int(in.TimeBasedLinear.LinearInterval)
	}
	return r
}

func routingToWire(r codedeploy.TrafficRouting) *wireTrafficRoutingConfig {
	out := &wireTrafficRoutingConfig{Type: ptr(r.Type)}
	switch r.Type {
	case codedeploy.RoutingCanary:
		out.TimeBasedCanary = &wireTimeBasedCanary{CanaryPercentage: int32(r.Percentage), CanaryInterval: int32(r.IntervalMinutes)}
	case codedeploy.RoutingLinear:
		out.TimeBasedLinear = &wireTimeBasedLinear{LinearPercentage: int32(r.Percentage), LinearInterval: int32(r.IntervalMinutes)}
	}
	return out
}

func configToWire(c codedeploy.DeploymentConfig) *wireDeploymentConfigInfo {
	return &wireDeploymentConfigInfo{
		DeploymentConfigID: ptr(c.ID), DeploymentConfigName: ptr(c.Name), CreateTime: awsproto.Epoch(c.CreateTime),
		ComputePlatform: ptr(c.ComputePlatform), TrafficRoutingConfig: routingToWire(c.TrafficRouting),
	}
}

func (a *API) createDeploymentConfig(ctx context.Context, in *createDeploymentConfigInput) (*createDeploymentConfigOutput, error) {
	if in.MinimumHealthyHosts != nil {
		return nil, codedeploy.ErrInvalidMinimumHealthyHosts
	}
	id, err := a.newUUID()
	if err != nil {
		return nil, err
	}
	cfg, err := codedeploy.NewDeploymentConfig(awsproto.Deref(in.DeploymentConfigName), awsproto.Deref(in.ComputePlatform), id, a.now(), routingFromWire(in.TrafficRoutingConfig))
	if err != nil {
		return nil, err
	}
	if _, err := a.store.DeploymentConfigs.Create(ctx, cfg.Name, cfg); errors.Is(err, errdefs.ErrAlreadyExists) {
		return nil, codedeploy.ErrDeploymentConfigExists
	} else if err != nil {
		return nil, err
	}
	return &createDeploymentConfigOutput{DeploymentConfigID: ptr(id)}, nil
}

// deploymentConfig returns the predefined or user-created configuration of that name.
func (a *API) deploymentConfig(ctx context.Context, name string) (codedeploy.DeploymentConfig, error) {
	if err := codedeploy.CheckDeploymentConfigName(name); err != nil {
		return codedeploy.DeploymentConfig{}, err
	}
	if c, ok := codedeploy.PredefinedConfig(name); ok {
		return c, nil
	}
	it, err := a.store.DeploymentConfigs.Get(ctx, name)
	if errors.Is(err, errdefs.ErrNotFound) {
		return codedeploy.DeploymentConfig{}, errdefs.Detail(codedeploy.ErrDeploymentConfigNotFound, "The deployment configuration %s does not exist.", name)
	}
	return it.Value, err
}

func (a *API) getDeploymentConfig(ctx context.Context, in *deploymentConfigNameInput) (*getDeploymentConfigOutput, error) {
	c, err := a.deploymentConfig(ctx, awsproto.Deref(in.DeploymentConfigName))
	if err != nil {
		return nil, err
	}
	return &getDeploymentConfigOutput{DeploymentConfigInfo: configToWire(c)}, nil
}

func (a *API) listDeploymentConfigs(ctx context.Context, in *listDeploymentConfigsInput) (*listDeploymentConfigsOutput, error) {
	items, _, err := a.store.DeploymentConfigs.List(ctx, "")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, c := range codedeploy.PredefinedConfigs() {
		names = append(names, c.Name)
	}
	for _, it := range items {
		names = append(names, it.ID)
	}
	slices.Sort(names)
	page, next, err := a.page(names, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &listDeploymentConfigsOutput{DeploymentConfigsList: page, NextToken: next}, nil
}

// deleteDeploymentConfig refuses predefined configurations and those a deployment group
// uses; deleting one that does not exist succeeds, as the model has no error for it.
func (a *API) deleteDeploymentConfig(ctx context.Context, in *deploymentConfigNameInput) (*emptyOutput, error) {
	name := awsproto.Deref(in.DeploymentConfigName)
	if err := codedeploy.CheckDeploymentConfigName(name); err != nil {
		return nil, err
	}
	if codedeploy.IsReservedConfigName(name) {
		return nil, codedeploy.ErrPredefinedConfig
	}
	groups, _, err := a.store.DeploymentGroups.List(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		if g.Value.DeploymentConfigName == name {
			return nil, errdefs.Detail(codedeploy.ErrDeploymentConfigInUse, "The deployment configuration %s is in use by deployment group %s of application %s.", name, g.Value.Name, g.Value.ApplicationName)
		}
	}
	if err := a.store.DeploymentConfigs.Delete(ctx, name); err != nil {
		return nil, err
	}
	return &emptyOutput{}, nil
}
