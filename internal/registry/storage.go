package registry

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/distribution/distribution/v3"
	"github.com/distribution/distribution/v3/registry/storage"
	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"
	"github.com/distribution/distribution/v3/registry/storage/driver/filesystem"
)

// driverName is the storage driver fargo registers with distribution: it hands the App the
// driver instance the Registry made, so that the App and the ECR side share one.
const driverName = "fargo"

// driverFactory returns the driver passed in the parameters under "driver".
type driverFactory struct{}

func (driverFactory) Create(_ context.Context, parameters map[string]any) (storagedriver.StorageDriver, error) {
	d, ok := parameters["driver"].(storagedriver.StorageDriver)
	if !ok {
		return nil, fmt.Errorf("registry: storage parameters carry no driver")
	}
	return d, nil
}

// durableDriver is distribution's filesystem driver with renames made durable. The filesystem
// driver already writes small files (links, manifests) to a temporary file, syncs it and
// renames it into place, and syncs uploaded blob data before a verified upload is renamed into
// the content-addressed store; durableDriver also syncs the directory a blob was renamed into,
// so that a blob a client was told about survives a power loss too.
type durableDriver struct {
	storagedriver.StorageDriver
	root string
}

var _ storagedriver.StorageDriver = durableDriver{}

func newDriver(root string) (durableDriver, error) {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return durableDriver{}, fmt.Errorf("registry storage: %w", err)
	}
	return durableDriver{StorageDriver: filesystem.New(filesystem.DriverParameters{RootDirectory: root, MaxThreads: 100}), root: root}, nil
}

func (d durableDriver) Move(ctx context.Context, source, dest string) error {
	if err := d.StorageDriver.Move(ctx, source, dest); err != nil {
		return err
	}
	return syncDir(filepath.Join(d.root, filepath.FromSlash(filepath.Dir(dest))))
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// noForeignLayers refuses manifests whose layers name URLs to fetch them from: every layer of
// an image in fargo's registry is in fargo's registry.
var noForeignLayers = regexp.MustCompile("^$")

// newNamespace returns distribution's storage over d with the options the App gets from the
// configuration New writes: deletes on, foreign layers refused, and an index accepted only when
// every image it names is in the repository.
func newNamespace(ctx context.Context, d storagedriver.StorageDriver) (distribution.Namespace, error) {
	return storage.NewRegistry(ctx, d, storage.EnableDelete, storage.ManifestURLsAllowRegexp(noForeignLayers),
		storage.EnableValidateImageIndexImagesExist)
}

// revisionPath is where distribution links a manifest into a repository; the link's
// modification time is when the manifest was pushed there.
func revisionPath(repo, digest string) string {
	alg, hex, _ := strings.Cut(digest, ":")
	return "/docker/registry/v2/repositories/" + repo + "/_manifests/revisions/" + alg + "/" + hex + "/link"
}
