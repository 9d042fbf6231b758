package ecrapi

import (
	"context"
	"errors"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// TargetPrefix is the X-Amz-Target prefix of ECR requests.
const TargetPrefix = "AmazonEC2ContainerRegistry_V20150921"

// Page sizes of the list operations, as ECR has them.
const (
	defaultPageSize = 100
	maxPageSize     = 1000
)

// Images is what the API needs of the registry's storage (package registry).
type Images interface {
	// Images returns the images of a repository, sorted by digest.
	Images(ctx context.Context, repository string) ([]ecr.Image, error)
	// Manifest returns the media type and bytes of a manifest, or ecr.ErrImageNotFound.
	Manifest(ctx context.Context, repository, digest string) (string, []byte, error)
	// DeleteImages carries out ecr.PlanDelete for ids and returns the plan.
	DeleteImages(ctx context.Context, repository string, ids []ecr.ImageID) (ecr.DeletePlan, error)
	// PutImage stores a manifest under tag (or by digest when tag is "") and returns its
	// digest and media type.
	PutImage(ctx context.Context, repository, tag, digest, mediaType string, manifest []byte) (string, string, error)
	// Layers reports which digests are blobs of the repository.
	Layers(ctx context.Context, repository string, digests []string) ([]ecr.Layer, error)
	// RemoveRepository deletes everything a repository holds in storage.
	RemoveRepository(ctx context.Context, repository string) error
}

// Config holds the API's settings.
type Config struct {
	// RegistryHost is the host:port that docker pushes to, the first part of every
	// repositoryUri, for example 127.0.0.1:4566.
	RegistryHost string
	// ProxyEndpoint is the registry's URL that GetAuthorizationToken hands out, for example
	// http://127.0.0.1:4566; http:// + RegistryHost when empty.
	ProxyEndpoint string
	// TokenRegion, set for a region other than the server's home region, makes
	// GetAuthorizationToken hand out tokens of that region (ecr.NewRegionToken), with which
	// the registry serves that region's repositories (docs/regions.md).
	TokenRegion string
}

// Deps are the API's collaborators.
type Deps struct {
	Store  *store.Store
	Images Images
	// Credentials looks up the secret of an access key id, to sign tokens with.
	Credentials func(accessKeyID string) (string, bool)
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// API serves ECR operations.
type API struct {
	cfg   Config
	deps  Deps
	scope arn.Scope
}

// New returns the ECR API naming resources in scope.
func New(scope arn.Scope, cfg Config, deps Deps) *API {
	if cfg.ProxyEndpoint == "" {
		cfg.ProxyEndpoint = "http://" + cfg.RegistryHost
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	return &API{cfg: cfg, deps: deps, scope: scope}
}

// Service describes the ECR endpoint for the front door.
func (a *API) Service() awsproto.Service {
	return awsproto.Service{
		Name:         "ecr",
		SigningName:  "ecr",
		Protocol:     awsproto.ProtocolJSON,
		TargetPrefix: TargetPrefix,
		Operations:   a.operations(),
		ErrorFor:     errorFor,
		ClientError:  "InvalidParameterException",
		Targets:      targets,
	}
}

func (a *API) operations() map[string]awsproto.Handler {
	return map[string]awsproto.Handler{
		"CreateRepository":            awsproto.JSON(a.createRepository),
		"DescribeRepositories":        awsproto.JSON(a.describeRepositories),
		"DeleteRepository":            awsproto.JSON(a.deleteRepository),
		"GetAuthorizationToken":       awsproto.JSON(a.getAuthorizationToken),
		"DescribeImages":              awsproto.JSON(a.describeImages),
		"ListImages":                  awsproto.JSON(a.listImages),
		"BatchGetImage":               awsproto.JSON(a.batchGetImage),
		"BatchDeleteImage":            awsproto.JSON(a.batchDeleteImage),
		"PutImage":                    awsproto.JSON(a.putImage),
		"PutImageTagMutability":       awsproto.JSON(a.putImageTagMutability),
		"BatchCheckLayerAvailability": awsproto.JSON(a.batchCheckLayerAvailability),
		"PutLifecyclePolicy":          awsproto.JSON(a.putLifecyclePolicy),
		"GetLifecyclePolicy":          awsproto.JSON(a.getLifecyclePolicy),
		"DeleteLifecyclePolicy":       awsproto.JSON(a.deleteLifecyclePolicy),
		"TagResource":                 awsproto.JSON(a.tagResource),
		"UntagResource":               awsproto.JSON(a.untagResource),
		"ListTagsForResource":         awsproto.JSON(a.listTagsForResource),
	}
}

// registryID is the account id, which is ECR's registry id.
func (a *API) registryID() string { return a.scope.AccountID }

// checkRegistry refuses a registryId other than this registry's.
func (a *API) checkRegistry(id *string) error {
	if id != nil && *id != a.registryID() {
		return errdefs.Detail(ecr.ErrInvalidParameter, "Invalid parameter at 'registryId' failed to satisfy constraint: 'This registry's id is %s; fargo serves one registry'", a.registryID())
	}
	return nil
}

// repository returns the repository of that name, with its revision.
func (a *API) repository(ctx context.Context, registryID *string, name *string) (store.Item[ecr.Repository], error) {
	if err := a.checkRegistry(registryID); err != nil {
		return store.Item[ecr.Repository]{}, err
	}
	n := awsproto.Deref(name)
	if err := ecr.CheckRepositoryName(n); err != nil {
		return store.Item[ecr.Repository]{}, err
	}
	it, err := a.deps.Store.Repositories.Get(ctx, n)
	if errors.Is(err, errdefs.ErrNotFound) || err == nil && it.Value.Deleting {
		return it, ecr.RepositoryNotFound(n, a.registryID())
	}
	return it, err
}

// repositoryARN is the ARN of repository name.
func (a *API) repositoryARN(name string) string {
	return a.scope.New("ecr", "repository/"+name).String()
}

// pageSize checks maxResults; absent means the default, and 0 is out of range as on AWS.
func pageSize(maxResults *int32) (int, error) {
	if maxResults == nil {
		return defaultPageSize, nil
	}
	if *maxResults < 1 || *maxResults > maxPageSize {
		return 0, errdefs.Detail(ecr.ErrInvalidParameter, "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value between 1 and %d'", maxPageSize)
	}
	return int(*maxResults), nil
}
