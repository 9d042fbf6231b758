package cli

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/moby/moby/api/pkg/authconfig"
	"github.com/moby/moby/api/types/registry"
	"github.com/moby/moby/client"
	"github.com/spf13/cobra"

	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/daemon"
)

type benchRegistryOptions struct {
	rounds   int
	sizeMiB  int
	registry string // the CNCF reference registry's binary
}

func newBenchRegistryCmd(stdout, stderr io.Writer) *cobra.Command {
	opts := benchRegistryOptions{}
	cmd := &cobra.Command{
		Use:   "registry",
		Short: "Measure docker push and pull through fargo's registry next to the CNCF reference registry",
		Long: `Build an image FROM scratch with one layer of random (incompressible) bytes, then push it
to, and pull it from, fargo's registry (a server of its own in a temporary data directory, with
an ECR token) and the CNCF reference registry (docker-registry, on a free port of 127.0.0.1,
with a temporary configuration), through the Docker engine's push and pull (what docker push and
docker pull call). Every round builds a new image, so that nothing is already in either registry
or in the engine; the registries take turns, and the report shows medians.`,
		Example:      `  fargo bench registry --rounds 5 --size 50`,
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBenchRegistry(cmd.Context(), opts, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.rounds, "rounds", 5, "rounds; the report shows medians")
	f.IntVar(&opts.sizeMiB, "size", 50, "size of the image's random layer, MiB")
	f.StringVar(&opts.registry, "reference-registry", "docker-registry", "binary of the CNCF reference registry (Debian's docker-registry); skipped when not installed")
	return cmd
}

// benchRegistry is one registry under measurement.
type benchRegistry struct {
	name, host string
	auth       string // X-Registry-Auth of the engine's push and pull
}

func runBenchRegistry(ctx context.Context, opts benchRegistryOptions, out, stderr io.Writer) error {
	if opts.rounds < 1 || opts.sizeMiB < 1 {
		return errors.New("--rounds and --size must be at least 1")
	}
	engine, err := openEngine(ctx)
	if err != nil {
		return err
	}
	defer engine.Close()
	dir, err := os.MkdirTemp("", "fargo-bench-registry-")
	if err != nil {
		return err
	}
	defer removeTempDir(dir, stderr)
	fargo, stop, err := startBenchFargo(ctx, filepath.Join(dir, "fargo"))
	if err != nil {
		return err
	}
	defer stop()
	regs := []benchRegistry{fargo}
	if path, err := exec.LookPath(opts.registry); err != nil {
		fmt.Fprintf(out, "reference registry: not installed (%v), skipped\n", err)
	} else {
		p, addr, err := startReferenceRegistry(ctx, path, filepath.Join(dir, "reference"))
		if p != nil {
			defer p.stop()
		}
		if err != nil {
			return err
		}
		none, _ := authconfig.Encode(registry.AuthConfig{}) // the engine wants the header even empty
		regs = append(regs, benchRegistry{name: "reference", host: addr, auth: none})
	}
	fmt.Fprintf(out, "image: one layer of %d MiB of random bytes; %d rounds; %d CPUs\n", opts.sizeMiB, opts.rounds, runtime.NumCPU())
	push, pull := map[string][]time.Duration{}, map[string][]time.Duration{}
	for r := range opts.rounds {
		if err := benchRegistryRound(ctx, engine, regs, r, opts.sizeMiB, push, pull, out); err != nil {
			return fmt.Errorf("round %d: %w", r+1, err)
		}
	}
	mib := float64(opts.sizeMiB)
	fmt.Fprintf(out, "\nmedians of %d rounds, %d MiB image:\n", opts.rounds, opts.sizeMiB)
	for _, reg := range regs {
		p, q := median(push[reg.name]), median(pull[reg.name])
		fmt.Fprintf(out, "| %s | %s (%.0f MiB/s) | %s (%.0f MiB/s) |\n", reg.name,
			p.Round(10*time.Millisecond), mib/p.Seconds(), q.Round(10*time.Millisecond), mib/q.Seconds())
	}
	return nil
}

// benchRegistryRound builds a new image, pushes it to every registry, then removes it from the
// engine before each pull, so that every pull transfers the whole layer.
func benchRegistryRound(ctx context.Context, engine *client.Client, regs []benchRegistry, r, sizeMiB int,
	push, pull map[string][]time.Duration, out io.Writer) error {
	id, err := buildRandomImage(ctx, engine, sizeMiB)
	if err != nil {
		return err
	}
	defer removeImage(engine, id)
	for i := range regs {
		reg := regs[(r+i)%len(regs)]
		ref := fmt.Sprintf("%s/bench:r%d", reg.host, r+1)
		if _, err := engine.ImageTag(ctx, client.ImageTagOptions{Source: id, Target: ref}); err != nil {
			return err
		}
		d, err := timed(func() error { return enginePush(ctx, engine, ref, reg.auth) })
		if err != nil {
			return fmt.Errorf("push to %s: %w", reg.name, err)
		}
		push[reg.name] = append(push[reg.name], d)
		fmt.Fprintf(out, "round %d  %-9s push %s\n", r+1, reg.name, d.Round(10*time.Millisecond))
	}
	for i := range regs {
		reg := regs[(r+i)%len(regs)]
		removeImage(engine, id) // every tag, so that the pull fetches every byte
		ref := fmt.Sprintf("%s/bench:r%d", reg.host, r+1)
		d, err := timed(func() error { return enginePull(ctx, engine, ref, reg.auth) })
		if err != nil {
			return fmt.Errorf("pull from %s: %w", reg.name, err)
		}
		pull[reg.name] = append(pull[reg.name], d)
		fmt.Fprintf(out, "round %d  %-9s pull %s\n", r+1, reg.name, d.Round(10*time.Millisecond))
	}
	return nil
}

func timed(f func() error) (time.Duration, error) {
	start := time.Now()
	err := f()
	return time.Since(start), err
}

// buildRandomImage builds FROM scratch an image of one file of sizeMiB random bytes and
// returns its id.
func buildRandomImage(ctx context.Context, engine imageEngine, sizeMiB int) (string, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	files := []struct {
		name string
		size int
	}{{"Dockerfile", 0}, {"random", sizeMiB << 20}}
	for _, f := range files {
		data := []byte("FROM scratch\nCOPY random /random\n")
		if f.name == "random" {
			data = make([]byte, f.size)
			_, _ = rand.Read(data)
		}
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(data))}); err != nil {
			return "", err
		}
		if _, err := tw.Write(data); err != nil {
			return "", err
		}
	}
	if err := tw.Close(); err != nil {
		return "", err
	}
	return builder{engine: engine, out: io.Discard}.buildContext(ctx, &buf, "random image")
}

func enginePush(ctx context.Context, engine *client.Client, ref, auth string) error {
	res, err := engine.ImagePush(ctx, ref, client.ImagePushOptions{RegistryAuth: auth})
	if err != nil {
		return err
	}
	defer res.Close()
	return res.Wait(ctx)
}

func enginePull(ctx context.Context, engine *client.Client, ref, auth string) error {
	res, err := engine.ImagePull(ctx, ref, client.ImagePullOptions{RegistryAuth: auth})
	if err != nil {
		return err
	}
	defer res.Close()
	return res.Wait(ctx)
}

// removeImage removes an image with every tag; errors are ignored (it may be gone).
func removeImage(engine *client.Client, id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, _ = engine.ImageRemove(ctx, id, client.ImageRemoveOptions{Force: true, PruneChildren: true})
}

// startBenchFargo starts a fargo server of its own in dir and returns its registry with an ECR
// token, and how to stop it.
func startBenchFargo(ctx context.Context, dir string) (benchRegistry, func(), error) {
	ctx, cancel := context.WithCancel(ctx)
	srv, err := daemon.Start(ctx, daemon.Config{DataDir: dir, APIAddr: "127.0.0.1:0", Driver: daemon.DriverProcess}, nil)
	if err != nil {
		cancel()
		return benchRegistry{}, nil, err
	}
	stop := func() { cancel(); _ = srv.Wait() }
	creds, err := credentials.Load(dir)
	if err != nil {
		stop()
		return benchRegistry{}, nil, err
	}
	cfg := aws.Config{Region: srv.Region(), BaseEndpoint: aws.String(srv.Endpoint()),
		Credentials: awscreds.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, "")}
	bl := builder{ecr: ecrsdk.NewFromConfig(cfg), out: io.Discard}
	user, password, host, err := bl.registryLogin(ctx)
	if err == nil {
		err = bl.ensureRepository(ctx, "bench")
	}
	if err != nil {
		stop()
		return benchRegistry{}, nil, err
	}
	auth, err := authconfig.Encode(registry.AuthConfig{Username: user, Password: password})
	return benchRegistry{name: "fargo", host: host, auth: auth}, stop, err
}

// startReferenceRegistry starts the CNCF registry at path with a configuration in dir on a free
// port of 127.0.0.1 (which the engine treats as an insecure registry). It returns the process
// even with an error, for the caller to stop.
func startReferenceRegistry(ctx context.Context, path, dir string) (*benchProc, string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, "", err
	}
	config := fmt.Sprintf("version: 0.1\nlog: {level: warn}\nstorage:\n  filesystem: {rootdirectory: %s}\nhttp: {addr: %q}\n",
		filepath.Join(dir, "data"), addr)
	configPath := filepath.Join(dir, "config.yml")
	if err := os.WriteFile(configPath, []byte(config), 0o600); err != nil {
		return nil, "", err
	}
	p, err := startBenchProc("docker-registry", exec.Command(path, "serve", configPath))
	if err != nil {
		return nil, "", err
	}
	err = p.waitReady(ctx, "http://"+addr+"/v2/")
	return p, addr, err
}
