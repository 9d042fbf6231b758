package elb

import (
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// fargo has no ACM. A listener certificate is a pair of PEM files, named by its CertificateArn
// in one of two forms:
//
//   - arn:aws:acm:<region>:<account>:certificate/<id>: the files <dir>/<id>.crt (the chain,
//     leaf first) and <dir>/<id>.key, where dir is the server's certificate directory
//     (<data-dir>/certs). Scripts written for AWS keep working once the files are in place.
//   - file:///abs/path/chain.pem: one PEM file that holds the chain and the private key, or
//     file:///abs/path/cert.pem?key=/abs/path/key.pem for two files (what mkcert and certbot
//     write).

var certIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// CertificateFiles returns the certificate chain and key files of a listener certificate, dir
// being the server's certificate directory. An ARN of another form is an error that matches
// ErrCertificateNotFound.
func CertificateFiles(certificateARN, dir string) (certFile, keyFile string, err error) {
	if strings.HasPrefix(certificateARN, "file://") {
		return certificatePaths(certificateARN)
	}
	a, perr := arn.Parse(certificateARN)
	id, isCert := strings.CutPrefix(a.Resource, "certificate/")
	if perr != nil || a.Service != "acm" || !isCert || !certIDPattern.MatchString(id) || strings.Contains(id, "..") {
		return "", "", errdefs.Detail(ErrCertificateNotFound, "Certificate '%s' not found: fargo takes ACM certificate ARNs "+
			"(files <data-dir>/certs/<id>.crt and .key) or file:///path/to/chain.pem[?key=/path/to/key.pem]", clip(certificateARN))
	}
	if dir == "" {
		return "", "", errdefs.Detail(ErrCertificateNotFound, "Certificate '%s' not found: the server has no certificate directory", clip(certificateARN))
	}
	return filepath.Join(dir, id+".crt"), filepath.Join(dir, id+".key"), nil
}

func certificatePaths(s string) (string, string, error) {
	bad := errdefs.Detail(ErrCertificateNotFound, "Certificate '%s' not found: a file certificate is file:///abs/path/chain.pem "+
		"or file:///abs/path/cert.pem?key=/abs/path/key.pem", clip(s))
	u, err := url.Parse(s)
	if err != nil || u.Host != "" || !absClean(u.Path) {
		return "", "", bad
	}
	q := u.Query()
	key := q.Get("key")
	if len(q) > 1 || len(q) == 1 && !absClean(key) {
		return "", "", bad
	}
	if key == "" {
		key = u.Path
	}
	return filepath.FromSlash(u.Path), filepath.FromSlash(key), nil
}

// absClean reports whether p is an absolute, clean slash path of a file.
func absClean(p string) bool {
	return strings.HasPrefix(p, "/") && path.Clean(p) == p && p != "/"
}
