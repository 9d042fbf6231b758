package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/fargohq/fargo/internal/runtime/process"
)

// newShimCmd is the process driver's supervisor of one container ("fargo runtime-shim DIR"),
// which the driver starts; people never run it.
func newShimCmd() *cobra.Command {
	return &cobra.Command{
		Use:                process.ShimSubcommand + " [--supervise] CONTAINER_DIR",
		Short:              "Supervise one container of the process driver (internal)",
		Hidden:             true,
		DisableFlagParsing: true, // the shim parses its own arguments
		RunE: func(_ *cobra.Command, args []string) error {
			if code := process.ShimMain(args); code != 0 {
				return fmt.Errorf("%s exited with status %d", process.ShimSubcommand, code)
			}
			return nil
		},
	}
}
