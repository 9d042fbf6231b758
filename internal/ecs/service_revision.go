package ecs

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/arn"
)

// ServiceRevision is what one deployment of a service runs: its task definition, load
// balancers, network and launch settings, as DescribeServiceRevisions reports them. A
// revision is written once and never changes.
type ServiceRevision struct {
	ARN                      string
	ServiceARN               string
	ClusterARN               string
	TaskDefinitionARN        string
	LaunchType               string
	CapacityProviderStrategy []CapacityProviderStrategyItem
	PlatformVersion          string
	LoadBalancers            []LoadBalancer
	NetworkConfiguration     NetworkConfiguration
	CreatedAt                time.Time
}

// ServiceRevisionID is the id of the revision that deployment deploymentID runs: its 19
// digits, as ECS numbers revisions.
func ServiceRevisionID(deploymentID string) string {
	return strings.TrimPrefix(deploymentID, "ecs-svc/")
}

// ServiceRevisionARN returns the ARN of the revision of deployment deploymentID of service
// name in cluster: arn:aws:ecs:…:service-revision/<cluster>/<service>/<19 digits>.
func ServiceRevisionARN(scope arn.Scope, cluster, name, deploymentID string) string {
	return scope.New("ecs", "service-revision/"+cluster+"/"+name+"/"+ServiceRevisionID(deploymentID)).String()
}

// ServiceDeploymentID is the id of the service deployment that rolls out deployment
// deploymentID: 20 characters derived from it, so that every writer names it alike.
func ServiceDeploymentID(deploymentID string) string {
	sum := sha256.Sum256([]byte(deploymentID))
	return base64.RawURLEncoding.EncodeToString(sum[:15])[:20]
}

// ServiceDeploymentARN returns the ARN of the service deployment of deployment deploymentID:
// arn:aws:ecs:…:service-deployment/<cluster>/<service>/<id>.
func ServiceDeploymentARN(scope arn.Scope, cluster, name, deploymentID string) string {
	return scope.New("ecs", "service-deployment/"+cluster+"/"+name+"/"+ServiceDeploymentID(deploymentID)).String()
}

// ServiceChildRef is the cluster, service and id a service deployment or revision ARN names.
type ServiceChildRef struct {
	Cluster, Service, ID string
}

// ParseServiceChildARN parses a service-deployment or service-revision ARN (kind names which).
func ParseServiceChildARN(s, kind string) (ServiceChildRef, bool) {
	a, err := arn.Parse(s)
	if err != nil || a.Service != "ecs" {
		return ServiceChildRef{}, false
	}
	parts := strings.Split(a.Resource, "/")
	if len(parts) != 4 || parts[0] != kind || parts[1] == "" || parts[2] == "" || parts[3] == "" {
		return ServiceChildRef{}, false
	}
	return ServiceChildRef{Cluster: parts[1], Service: parts[2], ID: parts[3]}, true
}

// NewServiceRevision returns the revision deployment d of service s runs.
func NewServiceRevision(scope arn.Scope, s Service, d Deployment) ServiceRevision {
	lbs := d.LoadBalancers
	if len(lbs) == 0 {
		lbs = s.LoadBalancers
	}
	return ServiceRevision{
		ARN: ServiceRevisionARN(scope, s.ClusterName, s.Name, d.ID), ServiceARN: s.ARN, ClusterARN: s.ClusterARN,
		TaskDefinitionARN: d.TaskDefinitionARN, LaunchType: d.LaunchType, CapacityProviderStrategy: d.CapacityProviderStrategy,
		PlatformVersion: d.PlatformVersion, LoadBalancers: lbs, NetworkConfiguration: d.NetworkConfiguration, CreatedAt: d.CreatedAt,
	}
}

// Scope returns the partition, region and account of s's ARN.
func (s Service) Scope() arn.Scope {
	a, _ := arn.Parse(s.ARN)
	return arn.Scope{Partition: a.Partition, Region: a.Region, AccountID: a.AccountID}
}

// CurrentServiceDeploymentID returns the deployment whose service deployment is s's current
// one: the PRIMARY deployment, or the one a PRIMARY rollback deployment rolls back.
func (s Service) CurrentServiceDeploymentID() (string, bool) {
	if s.DeploymentController != ControllerECS {
		return "", false
	}
	p, ok := s.Primary()
	if !ok {
		return "", false
	}
	if p.RollbackOf != "" {
		return p.RollbackOf, true
	}
	return p.ID, true
}
