package cli

import (
	"cmp"
	"fmt"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fargohq/fargo/internal/daemon"
	"github.com/fargohq/fargo/internal/pki"
)

// etcdMemberFlags are the embedded etcd member's clustering flags, named and spelled as
// etcd's own (--name, --initial-cluster, ...) with an etcd- prefix, so that etcd's
// documentation applies to them as it stands.
type etcdMemberFlags struct {
	name                     string
	initialCluster           string
	initialClusterState      string
	listenPeerURLs           string
	initialAdvertisePeerURLs string
	listenClientURLs         string
	advertiseClientURLs      string
	// The member's TLS files, etcd's --peer-cert-file ... and --cert-file ...
	peerCert, peerKey, peerCA string
	cert, key, ca             string
}

func addEtcdMemberFlags(cmd *cobra.Command, o *etcdMemberFlags) {
	f := cmd.Flags()
	f.StringVar(&o.name, "etcd-name", envOr("FARGO_ETCD_NAME", ""), "name of this server's embedded etcd member, unique in its cluster; also this server's name as leader (fargo when empty) [FARGO_ETCD_NAME]")
	f.StringVar(&o.initialCluster, "etcd-initial-cluster", envOr("FARGO_ETCD_INITIAL_CLUSTER", ""), "the members of the embedded etcd cluster and their peer URLs, as etcd's --initial-cluster: a=http://10.0.0.1:2380,b=http://10.0.0.2:2380,c=http://10.0.0.3:2380; a lone member when empty [FARGO_ETCD_INITIAL_CLUSTER]")
	f.StringVar(&o.initialClusterState, "etcd-initial-cluster-state", envOr("FARGO_ETCD_INITIAL_CLUSTER_STATE", "new"), "new (the members start together) or existing (join a running cluster after etcdctl member add) [FARGO_ETCD_INITIAL_CLUSTER_STATE]")
	f.StringVar(&o.listenPeerURLs, "etcd-listen-peer-urls", envOr("FARGO_ETCD_LISTEN_PEER_URLS", ""), "comma-separated URLs the member accepts its peers on; its URL in --etcd-initial-cluster when empty [FARGO_ETCD_LISTEN_PEER_URLS]")
	f.StringVar(&o.initialAdvertisePeerURLs, "etcd-initial-advertise-peer-urls", envOr("FARGO_ETCD_INITIAL_ADVERTISE_PEER_URLS", ""), "comma-separated peer URLs the member tells the others; its URL in --etcd-initial-cluster when empty [FARGO_ETCD_INITIAL_ADVERTISE_PEER_URLS]")
	f.StringVar(&o.listenClientURLs, "etcd-listen-client-urls", envOr("FARGO_ETCD_LISTEN_CLIENT_URLS", ""), "comma-separated URLs the member also serves etcd clients on (etcdctl snapshot save, fargo dataplane elsewhere); none when empty [FARGO_ETCD_LISTEN_CLIENT_URLS]")
	f.StringVar(&o.advertiseClientURLs, "etcd-advertise-client-urls", envOr("FARGO_ETCD_ADVERTISE_CLIENT_URLS", ""), "comma-separated client URLs the member tells clients; --etcd-listen-client-urls when empty [FARGO_ETCD_ADVERTISE_CLIENT_URLS]")
	f.StringVar(&o.peerCert, "etcd-peer-cert-file", envOr("FARGO_ETCD_PEER_CERT_FILE", ""), "the member's certificate on https:// peer URLs and as the client of its peers (fargo cert issue) [FARGO_ETCD_PEER_CERT_FILE]")
	f.StringVar(&o.peerKey, "etcd-peer-key-file", envOr("FARGO_ETCD_PEER_KEY_FILE", ""), "the key of --etcd-peer-cert-file [FARGO_ETCD_PEER_KEY_FILE]")
	f.StringVar(&o.peerCA, "etcd-peer-trusted-ca-file", envOr("FARGO_ETCD_PEER_TRUSTED_CA_FILE", ""), "CA whose certificates peers must present (peer client-certificate authentication on) [FARGO_ETCD_PEER_TRUSTED_CA_FILE]")
	f.StringVar(&o.cert, "etcd-cert-file", envOr("FARGO_ETCD_CERT_FILE", ""), "the member's certificate on https:// --etcd-listen-client-urls [FARGO_ETCD_CERT_FILE]")
	f.StringVar(&o.key, "etcd-key-file", envOr("FARGO_ETCD_KEY_FILE", ""), "the key of --etcd-cert-file [FARGO_ETCD_KEY_FILE]")
	f.StringVar(&o.ca, "etcd-trusted-ca-file", envOr("FARGO_ETCD_TRUSTED_CA_FILE", ""), "CA whose certificates clients of --etcd-listen-client-urls must present (client-certificate authentication on) [FARGO_ETCD_TRUSTED_CA_FILE]")
}

// etcdClientFlags are an etcd client's TLS files, named as etcdctl's (--cacert, --cert,
// --key) with the etcd- prefix: for every fargo process that reaches etcd over a network.
type etcdClientFlags struct {
	files pki.ClientFiles
}

func addEtcdClientFlags(cmd *cobra.Command, o *etcdClientFlags) {
	f := cmd.Flags()
	f.StringVar(&o.files.CACert, "etcd-cacert", envOr("FARGO_ETCD_CACERT", ""), "CA of the etcd members' certificates, to verify https:// --etcd-endpoints (fargo cert init) [FARGO_ETCD_CACERT]")
	f.StringVar(&o.files.Cert, "etcd-cert", envOr("FARGO_ETCD_CERT", ""), "this process's client certificate for https:// --etcd-endpoints (fargo cert issue) [FARGO_ETCD_CERT]")
	f.StringVar(&o.files.Key, "etcd-key", envOr("FARGO_ETCD_KEY", ""), "the key of --etcd-cert [FARGO_ETCD_KEY]")
}

// forEndpoints returns the client files for endpoints, and refuses files without endpoints to
// use them on: they would be ignored.
func (o etcdClientFlags) forEndpoints(endpoints string) (pki.ClientFiles, error) {
	if endpoints == "" && !o.files.Empty() {
		return pki.ClientFiles{}, fmt.Errorf("--etcd-cacert, --etcd-cert and --etcd-key need --etcd-endpoints")
	}
	return o.files, nil
}

// apply puts the flags into cfg; the daemon and the member check what they mean together.
func (o etcdMemberFlags) apply(cfg *daemon.Config) error {
	cfg.EtcdName = o.name
	if o.initialCluster == "" {
		for flag, v := range map[string]string{"etcd-listen-peer-urls": o.listenPeerURLs, "etcd-initial-advertise-peer-urls": o.initialAdvertisePeerURLs} {
			if v != "" {
				return fmt.Errorf("--%s needs --etcd-initial-cluster", flag)
			}
		}
	}
	c := &cfg.EtcdCluster
	c.InitialCluster, c.InitialClusterState = o.initialCluster, o.initialClusterState
	c.PeerTLS.CertFile, c.PeerTLS.KeyFile, c.PeerTLS.TrustedCAFile = o.peerCert, o.peerKey, o.peerCA
	c.ClientTLS.CertFile, c.ClientTLS.KeyFile, c.ClientTLS.TrustedCAFile = o.cert, o.key, o.ca
	var err error
	for _, f := range []struct {
		flag, value string
		into        *[]url.URL
	}{
		{"etcd-listen-peer-urls", o.listenPeerURLs, &c.ListenPeerURLs},
		{"etcd-initial-advertise-peer-urls", o.initialAdvertisePeerURLs, &c.AdvertisePeerURLs},
		{"etcd-listen-client-urls", o.listenClientURLs, &c.ListenClientURLs},
		{"etcd-advertise-client-urls", o.advertiseClientURLs, &c.AdvertiseClientURLs},
	} {
		if *f.into, err = parseURLs(f.value); err != nil {
			return fmt.Errorf("--%s: %w", f.flag, err)
		}
	}
	if o.initialCluster != "" && len(c.ListenPeerURLs) == 0 {
		// etcd's own default would be localhost:2380 whatever the initial cluster says; the
		// member's URL there is where its peers will dial it.
		c.ListenPeerURLs, err = memberPeerURLs(o.initialCluster, o.name)
	}
	return err
}

// parseURLs parses a comma-separated list of http(s) URLs; none when s is empty.
func parseURLs(s string) ([]url.URL, error) {
	if s == "" {
		return nil, nil
	}
	var out []url.URL
	for _, part := range strings.Split(s, ",") {
		u, err := url.Parse(strings.TrimSpace(part))
		if err != nil {
			return nil, err
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%q: want http://host:port", part)
		}
		out = append(out, *u)
	}
	return out, nil
}

// memberPeerURLs returns the peer URLs the initial cluster gives member name.
func memberPeerURLs(initialCluster, name string) ([]url.URL, error) {
	name = cmp.Or(name, daemon.DefaultEtcdName)
	var out []url.URL
	for _, entry := range strings.Split(initialCluster, ",") {
		n, u, ok := strings.Cut(entry, "=")
		if !ok {
			return nil, fmt.Errorf("--etcd-initial-cluster: %q is not name=URL", entry)
		}
		if n != name {
			continue
		}
		urls, err := parseURLs(u)
		if err != nil {
			return nil, fmt.Errorf("--etcd-initial-cluster: %w", err)
		}
		out = append(out, urls...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--etcd-initial-cluster does not name this member %q (--etcd-name)", name)
	}
	return out, nil
}
