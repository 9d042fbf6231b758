package codedeploy

import (
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fargohq/fargo/internal/errdefs"
)

// maxNameLength bounds application, deployment group and deployment configuration names.
const maxNameLength = 100

// checkName checks a name against CodeDeploy's limits: required and 1 to 100 characters.
// Control characters are refused too, for names end up in store keys and logs.
func checkName(name string, required, invalid error) error {
	if name == "" {
		return required
	}
	if utf8.RuneCountInString(name) > maxNameLength {
		return errdefs.Detail(invalid, "The name %q is longer than %d characters.", name, maxNameLength)
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return errdefs.Detail(invalid, "The name %q contains a control character.", name)
		}
	}
	return nil
}

// CheckApplicationName checks an application name.
func CheckApplicationName(name string) error {
	return checkName(name, ErrApplicationNameRequired, ErrInvalidApplicationName)
}

// CheckDeploymentGroupName checks a deployment group name.
func CheckDeploymentGroupName(name string) error {
	return checkName(name, ErrDeploymentGroupNameRequired, ErrInvalidDeploymentGroupName)
}

// CheckDeploymentConfigName checks the name of a deployment configuration to look up.
func CheckDeploymentConfigName(name string) error {
	return checkName(name, ErrDeploymentConfigNameRequired, ErrInvalidDeploymentConfigName)
}

// checkPlatform returns the compute platform of a new application or configuration: ECS when
// none is given (CodeDeploy's default, Server, could not deploy anything here), else ECS only.
func checkPlatform(platform string) (string, error) {
	switch platform {
	case "", PlatformECS:
		return PlatformECS, nil
	case PlatformServer, PlatformLambda:
		return "", errdefs.Detail(ErrInvalidComputePlatform, "fargo deploys ECS services only; computePlatform %s is not supported: use ECS.", platform)
	}
	return "", errdefs.Detail(ErrInvalidComputePlatform, "The computePlatform %q is invalid: use ECS.", platform)
}

// NewApplication returns a new application with a checked name and platform.
func NewApplication(name, platform, id string, now time.Time, tags []Tag) (Application, error) {
	if err := CheckApplicationName(name); err != nil {
		return Application{}, err
	}
	p, err := checkPlatform(platform)
	if err != nil {
		return Application{}, err
	}
	return Application{Name: name, ID: id, ComputePlatform: p, CreateTime: now, Tags: tags}, nil
}
