// Package ecsapi serves the Amazon ECS API (JSON 1.1, target prefix
// AmazonEC2ContainerServiceV20141113) over the store. It holds the ECS wire shapes, with member
// names, optional members and timestamps exactly as the botocore model has them, converts them
// to and from the domain types of package ecs, and chooses ECS's error codes.
//
// Every operation follows the same shape: decode, resolve names and ARNs, call a pure domain
// function, write through the store with revisions, convert the result to the wire.
package ecsapi
