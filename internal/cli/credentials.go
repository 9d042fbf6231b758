package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/fargohq/fargo/internal/credentials"
)

func newCredentialsCmd(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "credentials",
		Short: "Manage the access key of a fargo server",
	}
	var dataDir string
	rotate := &cobra.Command{
		Use:   "rotate",
		Short: "Replace the server's access key pair; the old pair stops working at once",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			c, err := credentials.Rotate(dataDir, time.Now())
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(stdout, "new access key id: %s\nrun: eval \"$(fargo env --data-dir %s)\"\n", c.AccessKeyID, dataDir)
			return err
		},
	}
	addDataDirFlag(rotate, &dataDir)
	cmd.AddCommand(rotate)
	return cmd
}
