package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	hello "github.com/fargohq/fargo/examples/hello/app"
)

// demoAppSubcommand is the hidden command that runs examples/hello inside the fargo binary:
// the app of `fargo demo`, which must work with nothing installed but fargo.
const demoAppSubcommand = "demo-app"

// newDemoAppCmd is "fargo demo-app [-healthcheck]": examples/hello, its settings read from
// lookupEnv (os.LookupEnv), its request log on stdout.
func newDemoAppCmd(lookupEnv func(string) (string, bool), stdout, stderr io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:                demoAppSubcommand + " [-healthcheck [-timeout D]]",
		Short:              "Run the example app examples/hello (the app of fargo demo; internal)",
		Hidden:             true,
		DisableFlagParsing: true, // hello parses its own flags
		RunE: func(cmd *cobra.Command, args []string) error {
			// hello drains on SIGTERM and SIGINT itself; the command's context ends on them
			// too, which would make it close at once, so the app gets one that does not.
			ctx := context.WithoutCancel(cmd.Context())
			if code := hello.Main(ctx, args, lookupEnv, stdout, stderr); code != 0 {
				return fmt.Errorf("%s exited with status %d", demoAppSubcommand, code)
			}
			return nil
		},
	}
}
