// Package ecs is the pure domain of Amazon ECS as fargo serves it: task definitions, clusters,
// services and tasks as plain Go values, and the rules ECS applies to them (validation, the
// defaults it fills in, lifecycle transitions). It does no I/O and starts no goroutines.
//
// Values here carry no wire concerns: no JSON tags and no pointers for optional members. Where
// ECS tells an absent member from a zero one, the domain either stores the default ECS would
// report (NormalizeTaskDefinition fills them in at registration) or, where zero is not a valid
// value anyway, uses zero for "not set"; each such field says which. The AWS wire shapes and
// their conversions live in internal/api/ecsapi.
package ecs
