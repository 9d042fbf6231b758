// Package scheduler is ECS's service scheduler: it keeps each service's desiredCount tasks
// running, replaces tasks that exit or turn unhealthy, moves a service from one deployment to
// the next within maximumPercent and minimumHealthyPercent, backs off when tasks keep failing,
// places tasks on container instances, and expires stopped tasks.
//
// The decisions are pure functions (PlanService, and placement's Place for where tasks go)
// over a snapshot; the Controller reads snapshots from informers, applies the plans through
// the store with revisions, and writes service events in ECS's wording.
package scheduler
