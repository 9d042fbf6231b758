package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

// Main runs the fargo command line with args and returns the process exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, "fargo:", err)
		return 1
	}
	return 0
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "fargo",
		Short:         "ECS, Fargate, ALB, CodeDeploy and ECR, self-hosted, in one binary",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newServerCmd(stderr), newAgentCmd(stderr), newEnvCmd(stdout), newCredentialsCmd(stdout), newVersionCmd(stdout), newShimCmd(), newDataplaneCmd(stderr), newCertCmd(stdout), newLogsCmd(stdout), newAuditCmd(stdout), newIAMCmd(stdout), newPsCmd(stdout), newDeployCmd(stdout), newHooksCmd(stdout), newBenchCmd(stdout, stderr),
		newDemoCmd(stdout), newDemoAppCmd(os.LookupEnv, stdout, stderr))
	return root
}

// envOr returns the environment variable name, or def when it is unset or empty.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// defaultDataDir is $FARGO_DATA_DIR, else $XDG_DATA_HOME/fargo, else ~/.local/share/fargo.
func defaultDataDir() string {
	if v := os.Getenv("FARGO_DATA_DIR"); v != "" {
		return v
	}
	if v := os.Getenv("XDG_DATA_HOME"); v != "" {
		return filepath.Join(v, "fargo")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "fargo")
	}
	return ".fargo"
}

func addDataDirFlag(cmd *cobra.Command, dst *string) {
	cmd.Flags().StringVar(dst, "data-dir", defaultDataDir(),
		"directory of the server's state and credentials (env FARGO_DATA_DIR; default $XDG_DATA_HOME/fargo or ~/.local/share/fargo)")
}
