package pki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// The CA's name and lifetimes.
const (
	CACommonName  = "fargo CA"
	CAValidity    = 10 * 365 * 24 * time.Hour
	DefaultDays   = 2 * 365
	clockSkewSlop = 5 * time.Minute // a machine whose clock is a little behind still accepts a fresh certificate
)

// Request is what a certificate is issued for.
type Request struct {
	// Name is the certificate's common name and the base name of its files.
	Name string
	// IPs and DNSNames are its subject alternative names; 127.0.0.1 and localhost are always
	// added, so that a certificate also serves loopback URLs.
	IPs      []net.IP
	DNSNames []string
	// Days is how long it is valid; DefaultDays when zero.
	Days int
}

// NewCA returns a new CA certificate and its key, PEM-encoded, valid from now for CAValidity.
func NewCA(now time.Time) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("pki: generate CA key: %w", err)
	}
	tmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: CACommonName},
		NotBefore:             now.Add(-clockSkewSlop),
		NotAfter:              now.Add(CAValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	return sign(tmpl, tmpl, key, key)
}

// Issue returns a certificate for req and its new key, PEM-encoded, signed by the CA of
// caCertPEM and caKeyPEM and valid from now for req.Days.
func Issue(caCertPEM, caKeyPEM []byte, req Request, now time.Time) (certPEM, keyPEM []byte, err error) {
	if err := req.Validate(); err != nil {
		return nil, nil, err
	}
	ca, caKey, err := parseCA(caCertPEM, caKeyPEM)
	if err != nil {
		return nil, nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("pki: generate key: %w", err)
	}
	days := req.Days
	if days == 0 {
		days = DefaultDays
	}
	tmpl := &x509.Certificate{
		Subject:     pkix.Name{CommonName: req.Name},
		NotBefore:   now.Add(-clockSkewSlop),
		NotAfter:    now.Add(time.Duration(days) * 24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		IPAddresses: withLoopbackIP(req.IPs),
		DNSNames:    withLocalhost(req.DNSNames),
	}
	if tmpl.NotAfter.After(ca.NotAfter) {
		// A certificate that outlives its CA would fail verification from that day on anyway.
		return nil, nil, errdefs.InvalidArgument("pki: %d days would outlive the CA (valid until %s)", days, ca.NotAfter.Format(time.DateOnly))
	}
	return sign(tmpl, ca, key, caKey)
}

// Validate reports whether r can be issued.
func (r Request) Validate() error {
	switch {
	case !validName(r.Name):
		return errdefs.InvalidArgument("pki: name %q: use letters, digits, '.', '-' and '_' (it names the files), and not %q", r.Name, "ca")
	case r.Days < 0:
		return errdefs.InvalidArgument("pki: days %d is negative", r.Days)
	}
	for _, d := range r.DNSNames {
		if d == "" {
			return errdefs.InvalidArgument("pki: empty DNS name")
		}
	}
	return nil
}

func validName(name string) bool {
	if name == "" || name == "ca" || name[0] == '.' {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func withLoopbackIP(ips []net.IP) []net.IP {
	out := slices.Clone(ips)
	if !slices.ContainsFunc(out, func(ip net.IP) bool { return ip.Equal(net.IPv4(127, 0, 0, 1)) }) {
		out = append(out, net.IPv4(127, 0, 0, 1))
	}
	return out
}

func withLocalhost(names []string) []string {
	out := slices.Clone(names)
	if !slices.Contains(out, "localhost") {
		out = append(out, "localhost")
	}
	return out
}

// sign makes the certificate tmpl of key's public key, signed by parent's signerKey.
func sign(tmpl, parent *x509.Certificate, key, signerKey *ecdsa.PrivateKey) (certPEM, keyPEM []byte, err error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, fmt.Errorf("pki: serial number: %w", err)
	}
	tmpl.SerialNumber = serial
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signerKey)
	if err != nil {
		return nil, nil, fmt.Errorf("pki: sign %q: %w", tmpl.Subject.CommonName, err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("pki: encode key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), nil
}

// parseCA reads a CA certificate and its key, and checks that they belong together.
func parseCA(certPEM, keyPEM []byte) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	ca, err := ParseCertificate(certPEM)
	if err != nil {
		return nil, nil, err
	}
	if !ca.IsCA {
		return nil, nil, errdefs.InvalidArgument("pki: %q is not a CA certificate", ca.Subject.CommonName)
	}
	block, _ := pem.Decode(keyPEM)
	if block == nil {
		return nil, nil, errdefs.InvalidArgument("pki: the CA key is not PEM")
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, nil, errdefs.InvalidArgument("pki: the CA key: %v", err)
	}
	key, ok := parsed.(*ecdsa.PrivateKey)
	if !ok || !key.PublicKey.Equal(ca.PublicKey) {
		return nil, nil, errdefs.InvalidArgument("pki: the CA key does not belong to the CA certificate")
	}
	return ca, key, nil
}

// ParseCertificate reads the first certificate of PEM data.
func ParseCertificate(certPEM []byte) (*x509.Certificate, error) {
	block, _ := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errdefs.InvalidArgument("pki: no PEM certificate")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, errdefs.InvalidArgument("pki: certificate: %v", err)
	}
	return cert, nil
}
