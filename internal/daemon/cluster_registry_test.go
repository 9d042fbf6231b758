package daemon_test

import (
	"encoding/base64"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/daemon"
)

// TestClusterMembersShareTheRegistry: members given one --registry-dir serve every image, as
// registries sharing a storage backend do: an image pushed through one member is described
// through the ECR API of another and pulled from its registry.
func TestClusterMembersShareTheRegistry(t *testing.T) {
	t.Parallel()
	shared := filepath.Join(t.TempDir(), "registry")
	members := startClusterWith(t, 2, func(_ int, cfg *daemon.Config) { cfg.RegistryDir = shared })
	waitLeader(t, members)
	pusher, reader := ecrClient(t, members[0]), ecrClient(t, members[1])
	ctx := t.Context()
	if _, err := pusher.CreateRepository(ctx, &ecrsdk.CreateRepositoryInput{RepositoryName: aws.String("web")}); err != nil {
		t.Fatal(err)
	}
	img, err := random.Image(1024, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(registryRef(t, members[0], "web:v1"), img, registryAuth(t, pusher)); err != nil {
		t.Fatalf("push through %s: %v", members[0].name, err)
	}
	want, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}

	out, err := reader.DescribeImages(ctx, &ecrsdk.DescribeImagesInput{RepositoryName: aws.String("web")})
	if err != nil || len(out.ImageDetails) != 1 || aws.ToString(out.ImageDetails[0].ImageDigest) != want.String() {
		t.Fatalf("DescribeImages through %s: %+v %v", members[1].name, out, err)
	}
	pulled, err := remote.Image(registryRef(t, members[1], "web:v1"), registryAuth(t, reader))
	if err != nil {
		t.Fatalf("pull through %s: %v", members[1].name, err)
	}
	if got, err := pulled.Digest(); err != nil || got != want {
		t.Fatalf("pulled %v (%v), want %v", got, err, want)
	}
}

func ecrClient(t *testing.T, m *member) *ecrsdk.Client {
	t.Helper()
	creds, err := credentials.Load(m.dir)
	if err != nil {
		t.Fatal(err)
	}
	return ecrsdk.NewFromConfig(apitest.Config(m.srv.Endpoint(), creds.AccessKeyID, creds.SecretAccessKey))
}

// registryRef is repo:tag in the registry of member m.
func registryRef(t *testing.T, m *member, ref string) name.Reference {
	t.Helper()
	u, err := url.Parse(m.srv.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	r, err := name.ParseReference(u.Host+"/"+ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// registryAuth is the registry login of a fresh GetAuthorizationToken of client.
func registryAuth(t *testing.T, client *ecrsdk.Client) remote.Option {
	t.Helper()
	out, err := client.GetAuthorizationToken(t.Context(), &ecrsdk.GetAuthorizationTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(aws.ToString(out.AuthorizationData[0].AuthorizationToken))
	if err != nil {
		t.Fatal(err)
	}
	user, password, _ := strings.Cut(string(raw), ":")
	return remote.WithAuth(&authn.Basic{Username: user, Password: password})
}
