package cli

import (
	"archive/tar"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/moby/moby/api/pkg/authconfig"
	"github.com/moby/moby/api/types/jsonstream"
	"github.com/moby/moby/api/types/registry"
	"github.com/moby/moby/client"
	"github.com/moby/moby/client/pkg/jsonmessage"
)

// ecrAPI is what deploy --build needs of the ECR client.
type ecrAPI interface {
	GetAuthorizationToken(context.Context, *ecrsdk.GetAuthorizationTokenInput, ...func(*ecrsdk.Options)) (*ecrsdk.GetAuthorizationTokenOutput, error)
	CreateRepository(context.Context, *ecrsdk.CreateRepositoryInput, ...func(*ecrsdk.Options)) (*ecrsdk.CreateRepositoryOutput, error)
}

// imageEngine is what deploy --build needs of the Docker engine.
type imageEngine interface {
	ImageBuild(context.Context, io.Reader, client.ImageBuildOptions) (client.ImageBuildResult, error)
	ImageTag(context.Context, client.ImageTagOptions) (client.ImageTagResult, error)
	ImagePush(context.Context, string, client.ImagePushOptions) (client.ImagePushResponse, error)
}

var _ imageEngine = (*client.Client)(nil)

// imageBuild says what deploy --build builds and where it pushes it.
type imageBuild struct {
	dir        string // the build context, with a Dockerfile
	repository string // ECR repository; default the task definition's family
	tag        string // default the first 12 hex digits of the image id
}

// builder builds, tags and pushes the image of deploy --build.
type builder struct {
	ecr    ecrAPI
	engine imageEngine
	out    io.Writer // build and push progress: bars on a terminal, plain lines otherwise
}

// openEngine connects to the Docker engine that $DOCKER_HOST (or the default socket) names,
// negotiating the API version as the Docker driver does.
func openEngine(ctx context.Context) (*client.Client, error) {
	c, err := client.New(client.FromEnv)
	if err != nil {
		return nil, fmt.Errorf("docker engine: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := c.Ping(pingCtx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("--build needs a Docker engine, and none answers: %w", err)
	}
	return c, nil
}

// checkBuildDir checks that dir is a directory with a Dockerfile, before anything is built.
func checkBuildDir(dir string) error {
	st, err := os.Stat(filepath.Join(dir, "Dockerfile"))
	switch {
	case err != nil:
		return fmt.Errorf("--build %s: no Dockerfile: %w", dir, err)
	case !st.Mode().IsRegular():
		return fmt.Errorf("--build %s: Dockerfile is not a file", dir)
	}
	return nil
}

// buildAndPush builds b.dir, tags the image <registry>/<repository>:<tag>, creates the
// repository when it is missing and pushes the image with a token of GetAuthorizationToken,
// as amazon-ecr-login and docker push do. It returns the image reference and its manifest
// digest. A build that fails writes nothing to the server.
func (bl builder) buildAndPush(ctx context.Context, b imageBuild, family string) (ref, digest string, err error) {
	if b.repository == "" {
		b.repository = family
	}
	user, password, host, err := bl.registryLogin(ctx)
	if err != nil {
		return "", "", err
	}
	id, err := bl.build(ctx, b.dir)
	if err != nil {
		return "", "", err
	}
	if b.tag == "" {
		b.tag = strings.TrimPrefix(id, "sha256:")[:12]
	}
	ref = host + "/" + b.repository + ":" + b.tag
	if _, err := bl.engine.ImageTag(ctx, client.ImageTagOptions{Source: id, Target: ref}); err != nil {
		return "", "", fmt.Errorf("tag %s: %w", ref, err)
	}
	if err := bl.ensureRepository(ctx, b.repository); err != nil {
		return "", "", err
	}
	digest, err = bl.push(ctx, ref, user, password)
	if err != nil {
		return "", "", err
	}
	return ref, digest, nil
}

// registryLogin returns the credentials and host of fargo's registry from
// GetAuthorizationToken: the token is base64 "AWS:<password>", the proxy endpoint the
// registry's URL.
func (bl builder) registryLogin(ctx context.Context) (user, password, host string, err error) {
	out, err := bl.ecr.GetAuthorizationToken(ctx, &ecrsdk.GetAuthorizationTokenInput{})
	if err != nil {
		return "", "", "", fmt.Errorf("get authorization token: %w", err)
	}
	if len(out.AuthorizationData) == 0 {
		return "", "", "", errors.New("get authorization token: no authorization data")
	}
	d := out.AuthorizationData[0]
	raw, err := base64.StdEncoding.DecodeString(aws.ToString(d.AuthorizationToken))
	if err != nil {
		return "", "", "", fmt.Errorf("authorization token: %w", err)
	}
	user, password, ok := strings.Cut(string(raw), ":")
	if !ok {
		return "", "", "", errors.New("authorization token: not USER:PASSWORD")
	}
	u, err := url.Parse(aws.ToString(d.ProxyEndpoint))
	if err != nil || u.Host == "" {
		return "", "", "", fmt.Errorf("authorization token: proxy endpoint %q is no URL", aws.ToString(d.ProxyEndpoint))
	}
	return user, password, u.Host, nil
}

// build builds the image of dir and returns its id, showing the build's output.
func (bl builder) build(ctx context.Context, dir string) (string, error) {
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() { // owned here: its error reaches the engine through the pipe; waited for below
		defer close(done)
		pw.CloseWithError(tarDir(pw, dir))
	}()
	defer func() { pr.CloseWithError(errors.New("build ended")); <-done }()
	return bl.buildContext(ctx, pr, dir)
}

// buildContext builds the image of a tar stream and returns its id, showing the build's
// output; what names the context in errors.
func (bl builder) buildContext(ctx context.Context, tarStream io.Reader, what string) (string, error) {
	dir := what
	res, err := bl.engine.ImageBuild(ctx, tarStream, client.ImageBuildOptions{Remove: true, ForceRemove: true})
	if err != nil {
		return "", fmt.Errorf("build %s: %w", dir, err)
	}
	defer res.Body.Close()
	var id string
	aux := func(m jsonstream.Message) {
		var v struct{ ID string }
		if json.Unmarshal(*m.Aux, &v) == nil && v.ID != "" {
			id = v.ID
		}
	}
	if err := jsonmessage.DisplayStream(res.Body, bl.out, jsonmessage.WithAuxCallback(aux)); err != nil {
		return "", fmt.Errorf("build %s: %w", dir, err)
	}
	if id == "" {
		return "", fmt.Errorf("build %s: the engine reported no image id", dir)
	}
	return id, nil
}

// ensureRepository creates the ECR repository unless it exists.
func (bl builder) ensureRepository(ctx context.Context, name string) error {
	_, err := bl.ecr.CreateRepository(ctx, &ecrsdk.CreateRepositoryInput{RepositoryName: aws.String(name)})
	if exists := (*ecrtypes.RepositoryAlreadyExistsException)(nil); err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("create repository %s: %w", name, err)
	}
	if err == nil {
		fmt.Fprintf(bl.out, "created repository %s\n", name)
	}
	return nil
}

// push pushes ref with the credentials, showing each layer's progress, and returns the
// manifest digest the registry stored.
func (bl builder) push(ctx context.Context, ref, user, password string) (string, error) {
	auth, err := authconfig.Encode(registry.AuthConfig{Username: user, Password: password})
	if err != nil {
		return "", err
	}
	res, err := bl.engine.ImagePush(ctx, ref, client.ImagePushOptions{RegistryAuth: auth})
	if err != nil {
		return "", fmt.Errorf("push %s: %w", ref, err)
	}
	defer res.Close()
	var digest string
	aux := func(m jsonstream.Message) {
		var v struct{ Digest string }
		if json.Unmarshal(*m.Aux, &v) == nil && v.Digest != "" {
			digest = v.Digest
		}
	}
	if err := jsonmessage.DisplayStream(res, bl.out, jsonmessage.WithAuxCallback(aux)); err != nil {
		return "", fmt.Errorf("push %s: %w", ref, err)
	}
	if digest == "" {
		return "", fmt.Errorf("push %s: the engine reported no digest", ref)
	}
	return digest, nil
}

// tarDir writes the files under dir to w as a tar stream, the build context. (A
// .dockerignore is not applied.)
func tarDir(w io.Writer, dir string) error {
	tw := tar.NewWriter(w)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil || rel == "." {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		link := ""
		if info.Mode()&fs.ModeSymlink != 0 {
			if link, err = os.Readlink(path); err != nil {
				return err
			}
		}
		hdr, err := tar.FileInfoHeader(info, link)
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(rel)
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		_, err = io.Copy(tw, f)
		return errors.Join(err, f.Close())
	})
	return errors.Join(err, tw.Close())
}
