package codedeploy

import (
	"slices"
	"strings"
	"time"
)

// DefaultECSConfig is the configuration of an ECS deployment whose group and request name none.
const DefaultECSConfig = "CodeDeployDefault.ECSAllAtOnce"

// reservedPrefix starts the names of the predefined configurations.
const reservedPrefix = "CodeDeployDefault."

// predefined are CodeDeploy's ECS configurations.
var predefined = []DeploymentConfig{
	{Name: "CodeDeployDefault.ECSAllAtOnce", TrafficRouting: TrafficRouting{Type: RoutingAllAtOnce}},
	{Name: "CodeDeployDefault.ECSCanary10Percent5Minutes", TrafficRouting: TrafficRouting{Type: RoutingCanary, Percentage: 10, IntervalMinutes: 5}},
	{Name: "CodeDeployDefault.ECSCanary10Percent15Minutes", TrafficRouting: TrafficRouting{Type: RoutingCanary, Percentage: 10, IntervalMinutes: 15}},
	{Name: "CodeDeployDefault.ECSLinear10PercentEvery1Minutes", TrafficRouting: TrafficRouting{Type: RoutingLinear, Percentage: 10, IntervalMinutes: 1}},
	{Name: "CodeDeployDefault.ECSLinear10PercentEvery3Minutes", TrafficRouting: TrafficRouting{Type: RoutingLinear, Percentage: 10, IntervalMinutes: 3}},
}

// PredefinedConfigs returns CodeDeploy's predefined ECS configurations.
func PredefinedConfigs() []DeploymentConfig {
	out := slices.Clone(predefined)
	for i := range out {
		out[i].ComputePlatform = PlatformECS
		out[i].ID = predefinedID(out[i].Name)
	}
	return out
}

// PredefinedConfig returns the predefined configuration of that name.
func PredefinedConfig(name string) (DeploymentConfig, bool) {
	for _, c := range PredefinedConfigs() {
		if c.Name == name {
			return c, true
		}
	}
	return DeploymentConfig{}, false
}

// IsReservedConfigName tells whether name belongs to CodeDeploy's predefined configurations.
func IsReservedConfigName(name string) bool { return strings.HasPrefix(name, reservedPrefix) }

// predefinedID is a stable, UUID-shaped id for a predefined configuration.
func predefinedID(name string) string {
	h := uint64(14695981039346656037)
	for i := range len(name) {
		h = (h ^ uint64(name[i])) * 1099511628211
	}
	const hex = "0123456789abcdef"
	b := make([]byte, 0, 36)
	for i := range 32 {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			b = append(b, '-')
		}
		h = h*6364136223846793005 + 1442695040888963407
		b = append(b, hex[h>>60])
	}
	return string(b)
}

// Step is one traffic shift: at After from the start of the shift, the replacement gets
// Weight percent of production traffic.
type Step struct {
	After  time.Duration
	Weight int
}

// Steps returns the traffic shifts of r, ending at 100%.
func (r TrafficRouting) Steps() []Step {
	interval := time.Duration(r.IntervalMinutes) * time.Minute
	switch r.Type {
	case RoutingCanary:
		if r.Percentage > 0 && r.Percentage < 100 {
			return []Step{{0, r.Percentage}, {interval, 100}}
		}
	case RoutingLinear:
		if r.Percentage > 0 && r.Percentage < 100 {
			var steps []Step
			for w, i := r.Percentage, 0; ; w, i = w+r.Percentage, i+1 {
				if w >= 100 {
					return append(steps, Step{time.Duration(i) * interval, 100})
				}
				steps = append(steps, Step{time.Duration(i) * interval, w})
			}
		}
	}
	return []Step{{0, 100}}
}
