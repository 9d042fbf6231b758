package logs

import "github.com/fargohq/fargo/internal/errdefs"

// Errors of CloudWatch Logs operations, in CloudWatch's words.
var (
	ErrGroupNotFound  = errdefs.NotFound("The specified log group does not exist.")
	ErrStreamNotFound = errdefs.NotFound("The specified log stream does not exist.")
	ErrGroupExists    = errdefs.AlreadyExists("The specified log group already exists")
	ErrStreamExists   = errdefs.AlreadyExists("The specified log stream already exists")
)
