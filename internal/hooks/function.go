package hooks

import (
	"net/url"
	"regexp"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// Function is a hook function: a name that AppSpec hooks and ECS hookTargetArns give, and the
// HTTP(S) endpoint that fargo invokes for it, as Lambda would invoke a function of that name.
type Function struct {
	Name string
	// ARN is arn:aws:lambda:<region>:<account>:function:<name>, so that targets written for
	// AWS name it unchanged.
	ARN string
	URL string
	// Timeout bounds each execution of the function, from its first invocation; zero leaves
	// the deadline its deployment gave it.
	Timeout     time.Duration
	Description string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// MaxFunctionTimeout is the longest Timeout a function may have: the hour CodeDeploy gives an
// ECS hook.
const MaxFunctionTimeout = time.Hour

// ErrFunctionNotFound is the error of a function that is not registered.
var ErrFunctionNotFound = errdefs.NotFound("Function not found.")

var functionName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// FunctionARN is the ARN of the function name in scope.
func FunctionARN(scope arn.Scope, name string) string {
	return scope.New("lambda", "function:"+name).String()
}

// NewFunction checks a function's settings and returns it, created or changed at now; prev is
// the function of the same name, when it exists, whose creation time it keeps.
func NewFunction(scope arn.Scope, name, rawURL string, timeout time.Duration, description string, prev *Function, now time.Time) (Function, error) {
	if !functionName.MatchString(name) {
		return Function{}, errdefs.InvalidArgument("The function name %q is invalid: use 1 to 64 letters, digits, hyphens and underscores.", name)
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Function{}, errdefs.InvalidArgument("The function URL %q is invalid: use an absolute http or https URL.", rawURL)
	}
	if timeout < 0 || timeout > MaxFunctionTimeout || timeout%time.Second != 0 {
		return Function{}, errdefs.InvalidArgument("The function timeout must be a whole number of seconds from 1 to %d.", int(MaxFunctionTimeout/time.Second))
	}
	if len(description) > 256 {
		return Function{}, errdefs.InvalidArgument("The function description must be at most 256 characters.")
	}
	f := Function{Name: name, ARN: FunctionARN(scope, name), URL: u.String(), Timeout: timeout,
		Description: description, CreatedAt: now, UpdatedAt: now}
	if prev != nil {
		f.CreatedAt = prev.CreatedAt
	}
	return f, nil
}
