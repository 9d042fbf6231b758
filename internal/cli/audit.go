package cli

import (
	"io"
	"time"

	"github.com/fargohq/fargo/internal/daemon"
	"github.com/spf13/cobra"
)

func newAuditCmd(stdout io.Writer) *cobra.Command {
	var (
		dataDir string
		f       daemon.AuditFilter
		since   string
	)
	cmd := &cobra.Command{
		Use:   "audit [--user NAME|ARN] [--operation [service:]NAME] [--since 10m|RFC3339]",
		Short: "Print the audit log: who called which API operation, allowed or denied",
		Long: `Print the records of the server's audit log, oldest first, as JSON lines: for every API
call and every registry push or pull its time, request id, principal, service and operation, the
resources it named, whether it was allowed, its error code and its source address. The log is
<data-dir>/audit.log and, once rotated by size, audit.log.1 (newest) to audit.log.4; all are read
directly, so the server need not run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if since != "" {
				t, err := parseSince(since, time.Now())
				if err != nil {
					return err
				}
				f.Since = t
			}
			return daemon.ReadAudit(dataDir, f, stdout)
		},
	}
	addDataDirFlag(cmd, &dataDir)
	cmd.Flags().StringVar(&f.User, "user", "", "only calls of this IAM user (name or ARN; the root is arn:aws:iam::<account>:root)")
	cmd.Flags().StringVar(&f.Operation, "operation", "", "only calls of this operation, as UpdateService or ecs:UpdateService")
	cmd.Flags().StringVar(&since, "since", "", "only calls since a duration ago (10m) or a time (RFC 3339)")
	return cmd
}
