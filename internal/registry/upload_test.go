package registry_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/opencontainers/go-digest"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/registry/registrytest"
)

// client sends raw OCI distribution requests with a token.
type client struct {
	t     *testing.T
	env   *registrytest.Env
	token string
}

func (c client) do(method, target string, body []byte, header map[string]string) (*http.Response, []byte) {
	c.t.Helper()
	if !strings.HasPrefix(target, "http") {
		target = c.env.URL + target
	}
	req, err := http.NewRequest(method, target, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.SetBasicAuth("AWS", c.token)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return apitest.Do(c.t, req)
}

// startUpload starts an upload to repo and returns its location.
func (c client) startUpload(repo string) string {
	c.t.Helper()
	resp, body := c.do(http.MethodPost, "/v2/"+repo+"/blobs/uploads/", nil, nil)
	if resp.StatusCode != http.StatusAccepted {
		c.t.Fatalf("start upload: %d %s", resp.StatusCode, body)
	}
	return c.location(resp)
}

func (c client) location(resp *http.Response) string {
	c.t.Helper()
	loc, err := resp.Location()
	if err != nil {
		c.t.Fatalf("no upload location: %v", err)
	}
	return loc.String()
}

// withDigest adds the digest parameter that completes an upload.
func withDigest(location string, d digest.Digest) string {
	u, _ := url.Parse(location)
	q := u.Query()
	q.Set("digest", d.String())
	u.RawQuery = q.Encode()
	return u.String()
}

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// blobStatus is the status of HEAD on a blob of repo.
func (c client) blobStatus(repo string, d digest.Digest) int {
	c.t.Helper()
	resp, _ := c.do(http.MethodHead, "/v2/"+repo+"/blobs/"+d.String(), nil, nil)
	return resp.StatusCode
}

func TestChunkedUpload(t *testing.T) {
	t.Parallel()
	env := registrytest.Start(t, registrytest.Options{})
	createRepository(t, env, "demo", "")
	c := client{t: t, env: env, token: env.Token(t)}
	data := randomBytes(t, 3<<20)
	d := digest.FromBytes(data)

	loc := c.startUpload("demo")
	const chunk = 1 << 20
	for off := 0; off < len(data); off += chunk {
		end := min(off+chunk, len(data))
		resp, body := c.do(http.MethodPatch, loc, data[off:end], map[string]string{
			"Content-Type": "application/octet-stream", "Content-Range": fmt.Sprintf("%d-%d", off, end-1),
		})
		if resp.StatusCode != http.StatusAccepted || resp.Header.Get("Range") != fmt.Sprintf("0-%d", end-1) {
			t.Fatalf("chunk at %d: %d %q %s", off, resp.StatusCode, resp.Header.Get("Range"), body)
		}
		loc = c.location(resp)
	}
	if got := c.blobStatus("demo", d); got != http.StatusNotFound {
		t.Fatalf("an upload not yet completed is visible: HEAD %d", got)
	}
	resp, body := c.do(http.MethodPut, withDigest(loc, d), nil, nil)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Docker-Content-Digest") != d.String() {
		t.Fatalf("complete upload: %d %s", resp.StatusCode, body)
	}
	resp, body = c.do(http.MethodGet, "/v2/demo/blobs/"+d.String(), nil, nil)
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, data) {
		t.Fatalf("GET blob: %d, %d bytes", resp.StatusCode, len(body))
	}
	layers, err := env.ECR.BatchCheckLayerAvailability(apitest.Context(t), &ecrsdk.BatchCheckLayerAvailabilityInput{
		RepositoryName: aws.String("demo"), LayerDigests: []string{d.String()},
	})
	if err != nil || len(layers.Layers) != 1 || layers.Layers[0].LayerAvailability != types.LayerAvailabilityAvailable ||
		aws.ToInt64(layers.Layers[0].LayerSize) != int64(len(data)) {
		t.Fatalf("BatchCheckLayerAvailability: %+v, %v", layers, err)
	}
}

// TestInterruptedUploadLeavesNothing cuts uploads off half-way, completes one with the wrong
// digest and pushes a manifest that names a blob never completed: no blob and no image appear.
func TestInterruptedUploadLeavesNothing(t *testing.T) {
	t.Parallel()
	env := registrytest.Start(t, registrytest.Options{})
	createRepository(t, env, "demo", "")
	c := client{t: t, env: env, token: env.Token(t)}
	data := randomBytes(t, 1<<20)
	d := digest.FromBytes(data)

	// A client that sends half a chunk, then abandons the upload.
	loc := c.startUpload("demo")
	resp, _ := c.do(http.MethodPatch, loc, data[:len(data)/2], map[string]string{"Content-Type": "application/octet-stream"})
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("PATCH: %d", resp.StatusCode)
	}
	// A client whose connection drops in the middle of the body.
	loc2 := c.startUpload("demo")
	cutConnection(t, loc2, c.token, data)
	// A client that completes with a digest the data does not have.
	loc3 := c.startUpload("demo")
	resp, body := c.do(http.MethodPut, withDigest(loc3, digest.FromString("other")), data, map[string]string{"Content-Type": "application/octet-stream"})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "DIGEST_INVALID") {
		t.Fatalf("PUT with a wrong digest: %d %s", resp.StatusCode, body)
	}

	if got := c.blobStatus("demo", d); got != http.StatusNotFound {
		t.Fatalf("HEAD of the interrupted blob: %d", got)
	}
	manifest := fmt.Sprintf(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",`+
		`"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},`+
		`"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}]}`,
		d, len(data), d, len(data))
	resp, body = c.do(http.MethodPut, "/v2/demo/manifests/latest", []byte(manifest), map[string]string{"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "MANIFEST_BLOB_UNKNOWN") {
		t.Fatalf("manifest naming a blob never completed: %d %s", resp.StatusCode, body)
	}
	if ids := imageIDs(t, env, "demo"); len(ids) != 0 {
		t.Fatalf("images after interrupted pushes: %v", ids)
	}
	layers, err := env.ECR.BatchCheckLayerAvailability(apitest.Context(t), &ecrsdk.BatchCheckLayerAvailabilityInput{
		RepositoryName: aws.String("demo"), LayerDigests: []string{d.String()},
	})
	if err != nil || layers.Layers[0].LayerAvailability != types.LayerAvailabilityUnavailable {
		t.Fatalf("BatchCheckLayerAvailability: %+v, %v", layers, err)
	}
}

// cutConnection sends a PATCH that announces all of data, sends half, and closes the
// connection.
func cutConnection(t *testing.T, location, token string, data []byte) {
	t.Helper()
	u, err := url.Parse(location)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPatch, location, nil)
	req.SetBasicAuth("AWS", token)
	head := fmt.Sprintf("PATCH %s HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n",
		u.RequestURI(), u.Host, req.Header.Get("Authorization"), len(data))
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write(data[:len(data)/2]); err != nil {
		t.Fatal(err)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestCrossRepositoryMount(t *testing.T) {
	t.Parallel()
	env := registrytest.Start(t, registrytest.Options{})
	createRepository(t, env, "base", "")
	createRepository(t, env, "app", "")
	c := client{t: t, env: env, token: env.Token(t)}
	data := randomBytes(t, 4096)
	d := digest.FromBytes(data)
	resp, body := c.do(http.MethodPut, withDigest(c.startUpload("base"), d), data, map[string]string{"Content-Type": "application/octet-stream"})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("monolithic upload: %d %s", resp.StatusCode, body)
	}
	if got := c.blobStatus("app", d); got != http.StatusNotFound {
		t.Fatalf("blob of base visible in app before the mount: %d", got)
	}
	resp, body = c.do(http.MethodPost, "/v2/app/blobs/uploads/?mount="+d.String()+"&from=base", nil, nil)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Docker-Content-Digest") != d.String() {
		t.Fatalf("mount: %d %s", resp.StatusCode, body)
	}
	if got := c.blobStatus("app", d); got != http.StatusOK {
		t.Fatalf("mounted blob: HEAD %d", got)
	}
	// A mount from a repository without the blob falls back to an upload.
	other := digest.FromString("absent")
	resp, _ = c.do(http.MethodPost, "/v2/app/blobs/uploads/?mount="+other.String()+"&from=base", nil, nil)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("mount of a missing blob: %d, want 202 (an upload)", resp.StatusCode)
	}
}
