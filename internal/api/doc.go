// Package api is fargo's front door for the AWS protocols. It tells the protocol of a request
// (JSON 1.1 by X-Amz-Target, Query by Action=), finds the service and operation, verifies the
// SigV4 signature, caps the body, runs the operation and answers in the protocol's envelope with
// a request id and a Date header. Requests that are not AWS API calls go to a fallback handler
// (the registry and the console).
package api
