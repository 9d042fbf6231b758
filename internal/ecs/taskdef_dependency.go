package ecs

import (
	"slices"
	"strings"

	"github.com/fargohq/fargo/internal/errdefs"
)

// checkDependencies checks the containers' dependsOn: each names another container of the task
// with a condition that container can reach, and the dependencies form no cycle (which would
// keep the task from ever starting).
func checkDependencies(td *TaskDefinition) error {
	for _, c := range td.ContainerDefinitions {
		for _, d := range c.DependsOn {
			if err := checkDependency(td, c, d); err != nil {
				return err
			}
		}
	}
	if cycle := dependencyCycle(td.ContainerDefinitions); cycle != nil {
		return errdefs.InvalidArgument("Container dependencies must not form a cycle: %s.", strings.Join(cycle, " -> "))
	}
	return nil
}

func checkDependency(td *TaskDefinition, c ContainerDefinition, d ContainerDependency) error {
	if d.ContainerName == "" || d.Condition == "" {
		return errdefs.InvalidArgument("Invalid dependsOn entry in container '%s': containerName and condition are required.", c.Name)
	}
	if d.ContainerName == c.Name {
		return errdefs.InvalidArgument("Container '%s' cannot depend on itself.", c.Name)
	}
	target, ok := td.Container(d.ContainerName)
	if !ok {
		return errdefs.InvalidArgument("Container '%s' depends on container '%s', which is not in the task definition.", c.Name, d.ContainerName)
	}
	switch d.Condition {
	case ContainerConditionComplete, ContainerConditionSuccess:
		if target.Essential {
			return errdefs.InvalidArgument("A dependency container with SUCCESS or COMPLETE condition cannot be an essential container")
		}
	case ContainerConditionHealthy:
		if len(target.HealthCheck.Command) == 0 {
			return errdefs.InvalidArgument("Container '%s' depends on container '%s' being HEALTHY, but '%s' has no health check.", c.Name, target.Name, target.Name)
		}
	}
	return nil
}

// dependencyCycle returns the names along a dependency cycle, first name repeated at the end,
// or nil when there is none. Every dependency names an existing container.
func dependencyCycle(containers []ContainerDefinition) []string {
	deps := make(map[string][]string, len(containers))
	for _, c := range containers {
		for _, d := range c.DependsOn {
			deps[c.Name] = append(deps[c.Name], d.ContainerName)
		}
	}
	const (
		unvisited = iota
		onPath
		done
	)
	state := make(map[string]int, len(containers))
	var path []string
	var visit func(name string) []string
	visit = func(name string) []string {
		state[name] = onPath
		path = append(path, name)
		for _, next := range deps[name] {
			switch state[next] {
			case onPath:
				start := slices.Index(path, next)
				return append(slices.Clone(path[start:]), next)
			case unvisited:
				if cycle := visit(next); cycle != nil {
					return cycle
				}
			}
		}
		path = path[:len(path)-1]
		state[name] = done
		return nil
	}
	for _, c := range containers {
		if state[c.Name] == unvisited {
			if cycle := visit(c.Name); cycle != nil {
				return cycle
			}
		}
	}
	return nil
}

// checkMounts checks that mount points name volumes of the task and volumesFrom name other
// containers of it.
func checkMounts(td *TaskDefinition) error {
	volumes := make(map[string]bool, len(td.Volumes))
	for _, v := range td.Volumes {
		volumes[v.Name] = true
	}
	for _, c := range td.ContainerDefinitions {
		for _, m := range c.MountPoints {
			if m.SourceVolume == "" || m.ContainerPath == "" {
				return errdefs.InvalidArgument("Invalid mount point in container '%s': sourceVolume and containerPath are required.", c.Name)
			}
			if !volumes[m.SourceVolume] {
				return errdefs.InvalidArgument("Invalid mount point in container '%s': sourceVolume '%s' is not a volume of the task definition.", c.Name, m.SourceVolume)
			}
		}
		for _, v := range c.VolumesFrom {
			if _, ok := td.Container(v.SourceContainer); !ok || v.SourceContainer == c.Name {
				return errdefs.InvalidArgument("Invalid volumesFrom entry in container '%s': sourceContainer '%s' must be another container of the task definition.", c.Name, v.SourceContainer)
			}
		}
	}
	return nil
}
