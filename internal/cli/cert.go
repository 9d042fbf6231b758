package cli

import (
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fargohq/fargo/internal/pki"
)

func newCertCmd(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cert",
		Short: "Create the small CA of fargo's machines and issue their TLS certificates",
		Long: `Create a certificate authority and issue the certificates with which fargo's members,
agents and data planes authenticate to each other and to etcd (docs/tls.md). Keep the CA's
directory on one trusted machine; copy to each machine only ca.crt and that machine's own
NAME.crt and NAME.key.`,
	}
	cmd.AddCommand(newCertInitCmd(stdout), newCertIssueCmd(stdout))
	return cmd
}

func newCertInitCmd(stdout io.Writer) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create a CA (ca.crt, ca.key) in a new directory; refuses to replace one",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return runCertInit(dir, time.Now(), stdout)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "directory of the CA (created, mode 0700)")
	_ = cmd.MarkFlagRequired("dir")
	return cmd
}

func runCertInit(dir string, now time.Time, stdout io.Writer) error {
	f, err := pki.InitDir(dir, now)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, `created the CA "%s", valid for 10 years:
  certificate: %s   (copy to every machine)
  key:         %s   (keep here; it signs every certificate)
issue each machine's certificate next:
  fargo cert issue --dir %s --name NAME --ip ADDRESS
`, pki.CACommonName, f.Cert, f.Key, dir)
	return err
}

type certIssueOptions struct {
	dir  string
	req  pki.Request
	ips  []string
	days int
}

func newCertIssueCmd(stdout io.Writer) *cobra.Command {
	var o certIssueOptions
	cmd := &cobra.Command{
		Use:   "issue",
		Short: "Issue a certificate (server and client) signed by the CA of --dir, as NAME.crt and NAME.key",
		Long: `Issue a certificate for one machine or process, signed by the CA in --dir, valid for TLS
servers and clients alike: a member is the server and the client of its peers. Its names are
the --ip and --dns given, and 127.0.0.1 and localhost always. Issuing a name again replaces its
files (rotation: restart nothing; new connections use the new certificate).`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return runCertIssue(o, time.Now(), stdout)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.dir, "dir", "", "directory of the CA (fargo cert init)")
	f.StringVar(&o.req.Name, "name", "", "the certificate's common name and file name: a member's --etcd-name, or a worker's name")
	f.StringArrayVar(&o.ips, "ip", nil, "an IP address the certificate is valid for; repeat for more (127.0.0.1 is always included)")
	f.StringArrayVar(&o.req.DNSNames, "dns", nil, "a DNS name the certificate is valid for; repeat for more (localhost is always included)")
	f.IntVar(&o.days, "days", pki.DefaultDays, "how many days the certificate is valid")
	_ = cmd.MarkFlagRequired("dir")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

func runCertIssue(o certIssueOptions, now time.Time, stdout io.Writer) error {
	for _, s := range o.ips {
		ip := net.ParseIP(strings.TrimSpace(s))
		if ip == nil {
			return fmt.Errorf("--ip %q is not an IP address", s)
		}
		o.req.IPs = append(o.req.IPs, ip)
	}
	if o.days < 1 {
		return fmt.Errorf("--days %d: want at least 1", o.days)
	}
	o.req.Days = o.days
	f, err := pki.IssueDir(o.dir, o.req, now)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, `issued %q for %d days (server and client authentication):
  certificate: %s
  key:         %s
  CA:          %s
copy the three files to the machine of %s, then use them:
  member:               --etcd-peer-cert-file %[3]s --etcd-peer-key-file %[4]s --etcd-peer-trusted-ca-file %[5]s
                        --etcd-cert-file %[3]s --etcd-key-file %[4]s --etcd-trusted-ca-file %[5]s
  agent, dataplane, or a server with --etcd-endpoints:
                        --etcd-cacert %[5]s --etcd-cert %[3]s --etcd-key %[4]s
  etcdctl:              --cacert %[5]s --cert %[3]s --key %[4]s
`, o.req.Name, o.days, f.Cert, f.Key, f.CA, o.req.Name)
	return err
}
