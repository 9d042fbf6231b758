// Package ecrapi serves the Amazon ECR API (JSON 1.1, target prefix
// AmazonEC2ContainerRegistry_V20150921) for fargo's registry: repositories and their settings,
// tags and lifecycle policies in the store, images read from and deleted in the registry's
// storage, and the authorization tokens that docker login takes. It holds the wire shapes,
// with member names as the botocore model has them, converts them to and from the types of
// package ecr, and chooses ECR's error codes.
package ecrapi
