package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/daemon"
)

type envOptions struct {
	dataDir string
}

func newEnvCmd(stdout io.Writer) *cobra.Command {
	var o envOptions
	cmd := &cobra.Command{
		Use:   "env",
		Short: "Print the shell exports that point the aws CLI and SDKs at a fargo server",
		Long:  `Print export lines for the server of a data directory. Use it as: eval "$(fargo env)"`,
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return runEnv(o, stdout)
		},
	}
	addDataDirFlag(cmd, &o.dataDir)
	return cmd
}

func runEnv(o envOptions, stdout io.Writer) error {
	state, err := daemon.ReadState(o.dataDir)
	if err != nil {
		return err
	}
	creds, err := credentials.Load(o.dataDir)
	if err != nil {
		return err
	}
	for _, kv := range [][2]string{
		{"AWS_ACCESS_KEY_ID", creds.AccessKeyID},
		{"AWS_SECRET_ACCESS_KEY", creds.SecretAccessKey},
		{"AWS_REGION", state.Region},
		{"AWS_DEFAULT_REGION", state.Region},
		{"AWS_ENDPOINT_URL", state.Endpoint},
	} {
		if _, err := fmt.Fprintf(stdout, "export %s=%s\n", kv[0], shellQuote(kv[1])); err != nil {
			return err
		}
	}
	// A session token left over from real AWS credentials would be signed into every request.
	_, err = fmt.Fprintln(stdout, "unset AWS_SESSION_TOKEN AWS_PROFILE")
	return err
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	out := []byte{'\''}
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			out = append(out, `'\''`...)
			continue
		}
		out = append(out, s[i])
	}
	return string(append(out, '\''))
}
