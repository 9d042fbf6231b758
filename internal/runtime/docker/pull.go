package docker

import (
	"context"
	"errors"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/distribution/reference"
	"github.com/moby/moby/api/pkg/authconfig"
	"github.com/moby/moby/api/types/registry"
	"github.com/moby/moby/client"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
)

// pull makes the image available as the pull policy says, and returns its digest: the
// registry's manifest digest when the engine knows it, else the image id.
func (d *Driver) pull(ctx context.Context, image string, auth *runtime.RegistryAuth) (string, error) {
	named, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		return "", errdefs.InvalidArgument("image %q: %v", image, err)
	}
	local, err := d.imageDigest(ctx, image)
	have := err == nil
	if err != nil && !errors.Is(err, errdefs.ErrNotFound) {
		return "", err
	}
	if have && !pullWanted(d.cfg.PullPolicy, named) {
		return local, nil
	}
	pullErr := d.pullImage(ctx, image, auth)
	var pe *runtime.PullError
	switch {
	case pullErr == nil:
		return d.imageDigest(ctx, image)
	case errors.As(pullErr, &pe) && have && d.cfg.PullPolicy == PullDefault:
		d.log.Warn("image pull failed; using the local image", "image", image, "err", pe.Message)
		return local, nil
	}
	return "", pullErr
}

// pullWanted reports whether an image the engine has is pulled again. PullDefault pulls images
// of a named registry (host/repository, as ECR's and fargo's are) every time, so that a tag
// pushed again reaches new tasks; a Docker Hub name (nginx, or a local build such as myapp:dev)
// is pulled only when missing, so that local images work without the internet.
func pullWanted(policy PullPolicy, image reference.Named) bool {
	switch policy {
	case PullAlways:
		return true
	case PullPreferCached:
		return false
	}
	return reference.Domain(image) != "docker.io"
}

// pullImage pulls image; a failure the registry or engine explains is a *runtime.PullError.
func (d *Driver) pullImage(ctx context.Context, image string, auth *runtime.RegistryAuth) error {
	var opts client.ImagePullOptions
	if auth != nil {
		encoded, err := authconfig.Encode(registry.AuthConfig{
			Username: auth.Username, Password: auth.Password, ServerAddress: auth.ServerAddress,
		})
		if err != nil {
			return err
		}
		opts.RegistryAuth = encoded
	}
	d.log.Info("pulling image", "image", image)
	stream, err := d.engine.ImagePull(ctx, image, opts)
	if err == nil {
		err = stream.Wait(ctx)
	}
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case client.IsErrConnectionFailed(err):
		return d.engineErr(err, "pull %s", image)
	}
	return &runtime.PullError{Image: image, Message: strings.TrimPrefix(err.Error(), "Error response from daemon: ")}
}

// imageDigest returns the digest of a local image, or an ErrNotFound error.
func (d *Driver) imageDigest(ctx context.Context, image string) (string, error) {
	res, err := d.engine.ImageInspect(ctx, image)
	if cerrdefs.IsNotFound(err) {
		return "", errdefs.NotFound("image %q", image)
	}
	if err != nil {
		return "", d.engineErr(err, "inspect image %s", image)
	}
	return repoDigest(image, res.RepoDigests, res.ID), nil
}

// repoDigest picks the manifest digest of image's repository among an image's repo digests
// ("name@sha256:..."); id when there is none (an image built locally and never pushed).
func repoDigest(image string, repoDigests []string, id string) string {
	named, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		return id
	}
	for _, rd := range repoDigests {
		ref, err := reference.ParseNormalizedNamed(rd)
		if err != nil {
			continue
		}
		if canonical, ok := ref.(reference.Canonical); ok && ref.Name() == named.Name() {
			return canonical.Digest().String()
		}
	}
	return id
}
