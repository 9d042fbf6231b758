// Package hooksapi serves fargo's hook functions API: the registry of named HTTP(S) endpoints
// that AppSpec hooks and ECS lifecycle hooks may name as if they were Lambda functions
// (hooks.Function). It speaks AWS JSON 1.1 with the target prefix FargoHooks_20261207 and
// signs as the "lambda" service, so that its operations, named as Lambda's (CreateFunction,
// GetFunction, ListFunctions, UpdateFunctionConfiguration, DeleteFunction), are authorized as
// lambda:* actions on function ARNs. `fargo hooks` is its client.
package hooksapi
